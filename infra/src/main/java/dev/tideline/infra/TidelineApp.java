package dev.tideline.infra;

import software.amazon.awscdk.App;
import software.amazon.awscdk.StackProps;

/** The CDK app: {@code npx cdk synth} and {@code npx cdk deploy} from {@code infra/}. */
public final class TidelineApp {

    private TidelineApp() {}

    public static void main(String[] args) {
        App app = new App();
        new TidelineStack(
                app, "Tideline", StackProps.builder().build(), StreamConstruct.Props.fromContext(app.getNode()));
        app.synth();
    }
}
