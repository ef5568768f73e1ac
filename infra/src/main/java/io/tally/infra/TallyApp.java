package io.tally.infra;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.StackProps;

/** The CDK app: Tally's one stack, checked by cdk-nag's AwsSolutions pack. */
public final class TallyApp {
    private TallyApp() {}

    public static void main(String[] args) {
        App app = new App();
        build(app);
        app.synth();
    }

    /** The stack on {@code app}, with the cdk-nag checks that run when it synthesizes. */
    static TallyStack build(App app) {
        // Feature flags the stack relies on, here rather than in cdk.json so the tests build the same stack:
        // server access logs delivered by bucket policy, not by the legacy LogDeliveryWrite ACL.
        app.getNode().setContext("@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy", true);
        Settings settings = Settings.fromContext(app.getNode());
        // The stage names the stack, and CloudFormation names every resource after its stack: two stages live
        // side by side in one account and region.
        TallyStack stack = new TallyStack(
                app,
                settings.stackName(),
                StackProps.builder()
                        .stackName(settings.stackName())
                        .description("Tally (" + settings.stage()
                                + "): reconciles the poultry purchase tracker against the " + "inventory tracker")
                        .build(),
                settings);
        Aspects.of(app).add(AwsSolutionsChecks.Builder.create().verbose(true).build());
        return stack;
    }
}
