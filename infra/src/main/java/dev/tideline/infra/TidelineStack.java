package dev.tideline.infra;

import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.constructs.Construct;

/** Every Tideline resource in one stack. */
public final class TidelineStack extends Stack {

    private final StreamConstruct stream;

    public TidelineStack(Construct scope, String id, StackProps props, StreamConstruct.Props streamProps) {
        super(scope, id, props);
        this.stream = new StreamConstruct(this, "Stream", streamProps);
    }

    public StreamConstruct stream() {
        return stream;
    }
}
