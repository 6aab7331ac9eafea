package dev.tideline.console.collect;

import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** A failure in a few words for the page: the innermost cause's type and message. */
final class Failures {

    private Failures() {}

    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof AwsServiceException aws && aws.awsErrorDetails() != null) {
            // Without the request id and attempt count the SDK appends.
            return aws.awsErrorDetails().errorCode() + ": "
                    + aws.awsErrorDetails().errorMessage();
        }
        String message = root.getMessage();
        String type = root.getClass().getSimpleName();
        if (message == null || message.isBlank()) {
            return type;
        }
        message = message.length() > 160 ? message.substring(0, 160) + "..." : message;
        return type + ": " + message;
    }
}
