package io.tally.infra;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import io.github.cdklabs.cdknag.RegexAppliesTo;
import java.util.Collection;
import java.util.List;

/**
 * The cdk-nag AwsSolutions findings Tally keeps, each on the one resource it concerns, narrowed with
 * {@code appliesTo} where cdk-nag reports the exact permission, and each with its reason.
 */
final class NagFindings {
    /** Object ARNs under one of the bucket's prefixes: {@code <DataBucket....Arn>/runs/*} and the like. */
    static final String PREFIX_WILDCARD =
            "/^Resource::<DataBucket[0-9A-F]+\\.Arn>\\/((incoming|runs|reports|exports)\\/|reports\\/latest\\.json|exports\\/moving\\.json)\\*$/g";

    static final String PREFIX_REASON = "Objects under one prefix of the bucket (incoming/, runs/, reports/, "
            + "exports/ from BucketKeys): their keys carry run ids and upload names made at run time, so the grant "
            + "cannot name them; the actions are exact and each function gets only the prefixes its code touches.";

    private NagFindings() {}

    static void suppress(GlueReconcileJob glue, Collection<TallyFunction> functions) {
        for (TallyFunction f : functions) {
            NagSuppressions.addResourceSuppressions(
                    f.function(),
                    List.of(NagPackSuppression.builder()
                            .id("AwsSolutions-L1")
                            .reason("Java 21 on purpose, not 25: the functions are built and tested for release 17 and "
                                    + "measured on 21, and 21 is the LTS runtime SnapStart has supported longest.")
                            .build()));
            NagSuppressions.addResourceSuppressions(f.role(), List.of(prefixes()), true);
        }
        NagSuppressions.addResourceSuppressions(
                glue.role(),
                List.of(
                        prefixes(),
                        NagPackSuppression.builder()
                                .id("AwsSolutions-IAM4")
                                .appliesTo(List.of(
                                        "Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSGlueServiceRole"))
                                .reason(
                                        "Glue's own service role policy: what a Glue job needs of Glue, CloudWatch and EC2 at "
                                                + "start-up, which AWS keeps current. Data access is granted apart, by prefix.")
                                .build(),
                        NagPackSuppression.builder()
                                .id("AwsSolutions-IAM5")
                                .appliesTo(List.of("Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>"
                                        + ":log-group:/aws-glue/*"))
                                .reason(
                                        "logs:AssociateKmsKey only, on Glue's log groups (/aws-glue/jobs/...), which Glue "
                                                + "names at run time after the security configuration; needed to encrypt them.")
                                .build()),
                true);
    }

    private static NagPackSuppression prefixes() {
        return NagPackSuppression.builder()
                .id("AwsSolutions-IAM5")
                .appliesTo(
                        List.of(RegexAppliesTo.builder().regex(PREFIX_WILDCARD).build()))
                .reason(PREFIX_REASON)
                .build();
    }
}
