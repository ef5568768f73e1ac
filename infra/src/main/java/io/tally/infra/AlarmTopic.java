package io.tally.infra;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.interfaces.events.IRuleRef;
import software.amazon.awscdk.services.events.IRuleTarget;
import software.amazon.awscdk.services.events.RuleTargetConfig;
import software.amazon.awscdk.services.events.RuleTargetInput;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.constructs.Construct;

/**
 * The SNS topic every alarm notifies, encrypted with a key of its own, TLS only, with an email subscription when
 * an address is given. A topic policy replaces SNS's default one (enforceSSL makes one), so the policy itself
 * says who may publish: CloudWatch alarms of this account, and the one EventBridge rule {@link #publishFrom}
 * is given. The key lets those two services encrypt for this topic only.
 */
final class AlarmTopic extends Construct {
    /** @param email who is told; empty for no subscription */
    record Props(String email) {}

    private final Topic topic;
    private final String topicName;

    AlarmTopic(Construct scope, String id, Props props) {
        super(scope, id);
        // Named after the stack, so the key policy can name the topic without depending on it (the topic
        // depends on the key).
        topicName = Stack.of(this).getStackName() + "-alarms";
        String topicArn = "arn:" + Aws.PARTITION + ":sns:" + Aws.REGION + ":" + Aws.ACCOUNT_ID + ":" + topicName;
        Key key = Key.Builder.create(this, "Key")
                .enableKeyRotation(true)
                .description("Tally alarm topic: CloudWatch alarms and EventBridge publish with it")
                .build();
        // Without this, SNS cannot encrypt what CloudWatch or EventBridge publish, and the alarm mail never comes.
        // SNS asks KMS with the topic's ARN as encryption context: only this topic, for this account.
        key.addToResourcePolicy(PolicyStatement.Builder.create()
                .principals(List.of(
                        new ServicePrincipal("cloudwatch.amazonaws.com"), new ServicePrincipal("events.amazonaws.com")))
                .actions(List.of("kms:Decrypt", "kms:GenerateDataKey*"))
                .resources(List.of("*"))
                .conditions(Map.of(
                        "StringEquals", Map.of("aws:SourceAccount", Aws.ACCOUNT_ID),
                        "ArnLike", Map.of("kms:EncryptionContext:aws:sns:topicArn", topicArn)))
                .build());
        topic = Topic.Builder.create(this, "Topic")
                .topicName(topicName)
                .displayName("Tally alarms")
                .masterKey(key)
                .enforceSsl(true)
                .build();
        // The topic policy replaces SNS's default: without this statement no alarm could notify.
        topic.addToResourcePolicy(PolicyStatement.Builder.create()
                .sid("CloudWatchAlarmsOfThisAccount")
                .principals(List.of(new ServicePrincipal("cloudwatch.amazonaws.com")))
                .actions(List.of("sns:Publish"))
                .resources(List.of(topic.getTopicArn()))
                .conditions(Map.of(
                        "StringEquals", Map.of("aws:SourceAccount", Aws.ACCOUNT_ID),
                        "ArnLike",
                                Map.of(
                                        "aws:SourceArn",
                                        "arn:" + Aws.PARTITION + ":cloudwatch:" + Aws.REGION + ":" + Aws.ACCOUNT_ID
                                                + ":alarm:*")))
                .build());
        if (!props.email().isBlank()) {
            topic.addSubscription(new EmailSubscription(props.email()));
        }
    }

    Topic topic() {
        return topic;
    }

    /**
     * A rule target that publishes {@code message} to the topic, allowed for {@code rule} alone: CDK's SnsTopic
     * target would let every rule in the account publish (its statement has no aws:SourceArn).
     */
    IRuleTarget publishFrom(RuleTargetInput message) {
        return new IRuleTarget() {
            @Override
            public RuleTargetConfig bind(IRuleRef rule, String id) {
                topic.addToResourcePolicy(PolicyStatement.Builder.create()
                        .sid("EventBridgeRule" + id)
                        .principals(List.of(new ServicePrincipal("events.amazonaws.com")))
                        .actions(List.of("sns:Publish"))
                        .resources(List.of(topic.getTopicArn()))
                        .conditions(Map.of(
                                "ArnEquals",
                                Map.of("aws:SourceArn", rule.getRuleRef().getRuleArn())))
                        .build());
                return RuleTargetConfig.builder()
                        .arn(topic.getTopicArn())
                        .input(message)
                        .build();
            }

            @Override
            public RuleTargetConfig bind(IRuleRef rule) {
                return bind(rule, "Target");
            }
        };
    }
}
