package io.tally.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * The policies on resources rather than roles, evaluated as AWS would: who may publish to the alarm topic and
 * use its key, who may use the Glue key, who may assume the scheduler's role.
 */
class ResourcePoliciesTest {
    private final Stacks.Built built = Stacks.full();
    private final Template template = built.template();
    private final Resolver r = new Resolver(template, built.stack().getStackName());
    private final String topicArn = "arn:aws:sns:" + Resolver.REGION + ":" + Resolver.ACCOUNT + ":"
            + built.stack().getStackName() + "-alarms";
    private final String alarm =
            "arn:aws:cloudwatch:" + Resolver.REGION + ":" + Resolver.ACCOUNT + ":alarm:Tally-dev-WorkerErrors";

    @Test
    void theTopic_isNamedAfterTheStack_soItsKeyPolicyCanNameIt() {
        assertThat(r.arn(built.id(built.stack().topic().topic()))).isEqualTo(topicArn);
    }

    @Test
    void cloudWatchAlarmsOfThisAccount_mayPublishToTheTopic_andNoOneElse() {
        List<Map<String, Object>> policy = topicPolicy();
        Iam.Request publish = Iam.Request.of("sns:Publish", topicArn)
                .by("cloudwatch.amazonaws.com")
                .with("aws:SourceAccount", Resolver.ACCOUNT)
                .with("aws:SourceArn", alarm);
        assertThat(Iam.allows(policy, publish)).isTrue();
        assertThat(Iam.allows(policy, publish.with("aws:SourceAccount", "999999999999")))
                .isFalse();
        assertThat(Iam.allows(policy, Iam.Request.of("sns:Publish", topicArn).by("cloudwatch.amazonaws.com")))
                .isFalse();
        assertThat(Iam.allows(policy, publish.with("aws:SecureTransport", "false")))
                .isFalse();
        assertThat(Iam.allows(policy, publish.by("s3.amazonaws.com"))).isFalse();
    }

    @Test
    void onlyTheGlueFailureRule_mayPublishToTheTopic_fromEventBridge() {
        List<Map<String, Object>> policy = topicPolicy();
        String failures = r.arn(built.id(built.stack().triggers().glueFailures()));
        String other = "arn:aws:events:" + Resolver.REGION + ":" + Resolver.ACCOUNT + ":rule/someone-elses";
        Iam.Request publish = Iam.Request.of("sns:Publish", topicArn).by("events.amazonaws.com");
        assertThat(Iam.allows(policy, publish.with("aws:SourceArn", failures))).isTrue();
        assertThat(Iam.allows(policy, publish.with("aws:SourceArn", other))).isFalse();
        assertThat(Iam.allows(policy, publish)).isFalse();
        template.hasResourceProperties(
                "AWS::Events::Rule",
                Match.objectLike(Map.of(
                        "Targets",
                        List.of(Match.objectLike(Map.of(
                                "Arn",
                                Map.of("Ref", built.id(built.stack().topic().topic()))))))));
    }

    @Test
    void theTopicsKey_encryptsForThisTopicOnly() {
        String keyId = r.ofType("AWS::KMS::Key").stream()
                .filter(id -> id.startsWith("Alarms"))
                .findFirst()
                .orElseThrow();
        List<Map<String, Object>> policy = r.statements(r.properties(keyId).get("KeyPolicy"));
        Iam.Request generate = Iam.Request.of("kms:GenerateDataKey", r.arn(keyId))
                .by("cloudwatch.amazonaws.com")
                .with("aws:SourceAccount", Resolver.ACCOUNT)
                .with("kms:EncryptionContext:aws:sns:topicArn", topicArn);
        assertThat(Iam.allows(policy, generate)).isTrue();
        assertThat(Iam.allows(policy, generate.by("events.amazonaws.com"))).isTrue();
        assertThat(Iam.allows(policy, generate.with("kms:EncryptionContext:aws:sns:topicArn", topicArn + "-other")))
                .isFalse();
        assertThat(Iam.allows(policy, generate.with("aws:SourceAccount", "999999999999")))
                .isFalse();
    }

    @Test
    void theGlueKey_servesGluesLogGroupsOfThisAccountOnly() {
        String keyId = r.ofType("AWS::KMS::Key").stream()
                .filter(id -> id.startsWith("Glue"))
                .findFirst()
                .orElseThrow();
        List<Map<String, Object>> policy = r.statements(r.properties(keyId).get("KeyPolicy"));
        String logs = "logs." + Resolver.REGION + ".amazonaws.com";
        String group = "arn:aws:logs:" + Resolver.REGION + ":" + Resolver.ACCOUNT + ":log-group:"
                + built.stack().glue().logPrefix() + "/error";
        Iam.Request encrypt =
                Iam.Request.of("kms:Encrypt", r.arn(keyId)).by(logs).with("kms:EncryptionContext:aws:logs:arn", group);
        assertThat(Iam.allows(policy, encrypt)).isTrue();
        assertThat(Iam.allows(
                        policy,
                        encrypt.with(
                                "kms:EncryptionContext:aws:logs:arn",
                                "arn:aws:logs:" + Resolver.REGION + ":999999999999:log-group:/aws-glue/jobs/x")))
                .isFalse();
        assertThat(Iam.allows(
                        policy,
                        encrypt.with(
                                "kms:EncryptionContext:aws:logs:arn",
                                "arn:aws:logs:" + Resolver.REGION + ":" + Resolver.ACCOUNT
                                        + ":log-group:/aws/lambda/x")))
                .isFalse();
    }

    @Test
    void theSchedulersRole_mayBeAssumedOnlyForThisAccount() {
        String roleId = r.ofType("AWS::IAM::Role").stream()
                .filter(id -> id.contains("ExportSchedulerRole"))
                .findFirst()
                .orElseThrow();
        List<Map<String, Object>> trust = r.statements(r.properties(roleId).get("AssumeRolePolicyDocument"));
        Iam.Request assume = Iam.Request.of("sts:AssumeRole", r.arn(roleId))
                .by("scheduler.amazonaws.com")
                .with("aws:SourceAccount", Resolver.ACCOUNT);
        assertThat(Iam.allows(trust, assume)).isTrue();
        assertThat(Iam.allows(trust, assume.with("aws:SourceAccount", "999999999999")))
                .isFalse();
    }

    private List<Map<String, Object>> topicPolicy() {
        String policyId = r.ofType("AWS::SNS::TopicPolicy").get(0);
        return r.statements(r.properties(policyId).get("PolicyDocument"));
    }
}
