package io.tally.infra;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Size;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.constructs.Construct;

/**
 * One of Tally's functions: Java 21 on arm64, SnapStart on its published versions, a role of its own with no
 * managed policy (each grant is added by the stack), and a log group of its own. Everything that invokes it
 * targets {@link #alias()}, because SnapStart only applies to published versions. A function invoked
 * asynchronously (by a rule or a schedule) keeps the events that failed all of Lambda's retries in a
 * dead-letter queue of its own, which an alarm watches: an upload whose planning failed is never lost.
 */
final class TallyFunction extends Construct {
    /**
     * @param handler     the handler class, from {@code HandlerClasses}
     * @param code        the functions' jar
     * @param size        memory and timeout, from {@link Sizes}
     * @param description what the function does
     * @param environment the environment, named by {@code Env}
     * @param async       invoked asynchronously (a rule or schedule), so failed events need a queue to land in
     * @param reservedConcurrency the most instances that may run at once, if capped
     */
    record Props(
            String handler,
            Code code,
            Sizes.Size size,
            String description,
            Map<String, String> environment,
            boolean async,
            Optional<Integer> reservedConcurrency) {}

    static final String ALIAS = "live";

    private final Function function;
    private final Role role;
    private final Alias alias;
    private final Optional<Queue> failedEvents;

    TallyFunction(Construct scope, String id, Props props) {
        super(scope, id);
        LogGroup logs = LogGroup.Builder.create(this, "Logs")
                .retention(RetentionDays.THREE_MONTHS)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
        // A role of its own instead of AWSLambdaBasicExecutionRole: it may write only to its own log group.
        role = Role.Builder.create(this, "Role")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description("Tally " + id + ": its own log group and the grants the stack adds")
                .build();
        role.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("logs:CreateLogStream", "logs:PutLogEvents"))
                .resources(List.of(logs.getLogGroupArn()))
                .build());
        failedEvents = props.async()
                ? Optional.of(Queue.Builder.create(this, "FailedEvents")
                        .encryption(QueueEncryption.SQS_MANAGED)
                        .enforceSsl(true)
                        .retentionPeriod(Duration.days(14)) // the longest SQS keeps a message: time to fix and replay
                        .build())
                : Optional.empty();
        Function.Builder builder = Function.Builder.create(this, "Function")
                .runtime(Runtime.JAVA_21)
                .architecture(Architecture.ARM_64)
                .handler(props.handler() + "::handleRequest")
                .code(props.code())
                .memorySize(props.size().memoryMb())
                .ephemeralStorageSize(Size.mebibytes(props.size().tmpMb()))
                .timeout(props.size().timeout())
                .description(props.description())
                .environment(props.environment())
                .role(role)
                .logGroup(logs)
                // SnapStart takes at most 512 MB of /tmp: a function given more starts without it.
                .snapStart(props.size().tmpMb() <= Sizes.DEFAULT_TMP_MB ? SnapStartConf.ON_PUBLISHED_VERSIONS : null);
        failedEvents.ifPresent(builder::deadLetterQueue);
        props.reservedConcurrency().ifPresent(builder::reservedConcurrentExecutions);
        function = builder.build();
        Annotations.of(function)
                .acknowledgeWarning(
                        "@aws-cdk/aws-lambda:snapStartRequirePublish",
                        "every trigger invokes the alias of a published version (TallyFunction.alias)");
        alias = Alias.Builder.create(this, "Alias")
                .aliasName(ALIAS)
                .version(function.getCurrentVersion())
                .build();
    }

    Function function() {
        return function;
    }

    /** Where events land that failed every asynchronous retry, for a function invoked asynchronously. */
    Optional<Queue> failedEvents() {
        return failedEvents;
    }

    Role role() {
        return role;
    }

    /** What event sources, rules and schedules invoke: the published version SnapStart restores. */
    Alias alias() {
        return alias;
    }
}
