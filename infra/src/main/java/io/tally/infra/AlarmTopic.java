package io.tally.infra;

import java.util.List;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.sns.Topic;
import software.amazon.awscdk.services.sns.subscriptions.EmailSubscription;
import software.constructs.Construct;

/**
 * The SNS topic every alarm notifies, encrypted with a key of its own that CloudWatch (alarms) and EventBridge
 * (the Glue failure rule) may use to publish, TLS only, with an email subscription when an address is given.
 */
final class AlarmTopic extends Construct {
    /** @param email who is told; empty for no subscription */
    record Props(String email) {}

    private final Topic topic;

    AlarmTopic(Construct scope, String id, Props props) {
        super(scope, id);
        Key key = Key.Builder.create(this, "Key").enableKeyRotation(true)
                .description("Tally alarm topic: CloudWatch alarms and EventBridge publish with it").build();
        // Without this, SNS cannot encrypt what CloudWatch or EventBridge publish, and the alarm mail never comes.
        key.addToResourcePolicy(PolicyStatement.Builder.create()
                .principals(List.of(new ServicePrincipal("cloudwatch.amazonaws.com"),
                        new ServicePrincipal("events.amazonaws.com")))
                .actions(List.of("kms:Decrypt", "kms:GenerateDataKey*"))
                .resources(List.of("*")).build());
        topic = Topic.Builder.create(this, "Topic").displayName("Tally alarms").masterKey(key).enforceSsl(true)
                .build();
        if (!props.email().isBlank()) {
            topic.addSubscription(new EmailSubscription(props.email()));
        }
    }

    Topic topic() {
        return topic;
    }
}
