package dev.tideline.model.event;

import java.util.List;

/** An event broke the contract; {@link #errors()} names every reason, in field order. */
public final class InvalidEventException extends RuntimeException {

    private final transient List<FieldError> errors;

    public InvalidEventException(List<FieldError> errors) {
        super(errors.toString());
        this.errors = List.copyOf(errors);
    }

    /** At least one error; never null. */
    public List<FieldError> errors() {
        return errors;
    }
}
