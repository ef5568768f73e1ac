package io.tally.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.names.BucketKeys;
import io.tally.names.Env;
import io.tally.names.FunctionNeeds;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The grant check: every call each function's code makes ({@link FunctionNeeds}), as a concrete request with a
 * real-looking resource (an object key under each prefix, a secret ARN with its six-character suffix, each queue's
 * ARN), is allowed by the function's synthesized role under IAM's matching rules ({@link Iam}); and the role
 * allows nothing of that kind its calls do not need.
 */
class FunctionGrantsTest {
    /** What a {@code *} of a key pattern stands for: a run id, a job run id, an upload's name. */
    static final String SAMPLE = "3f2a9c0d1e4b5a6c";
    /** The secret Secrets Manager made for the name in Stacks.CONTEXT: the name, a hyphen, six random characters. */
    static final String SECRET =
            "arn:aws:secretsmanager:" + Resolver.REGION + ":" + Resolver.ACCOUNT + ":secret:tally/test-key-AbCdEf";

    static final List<String> AREAS =
            List.of(BucketKeys.INCOMING, BucketKeys.RUNS, BucketKeys.REPORTS, BucketKeys.EXPORTS, "other/");
    static final List<String> OBJECT_ACTIONS =
            List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload");

    private final Stacks.Built built = Stacks.full();
    private final TallyStack stack = built.stack();
    private final Resolver resolver = new Resolver(built.template(), stack.getStackName());

    static Stream<FunctionNeeds.Function> roles() {
        return Stream.concat(FunctionNeeds.ALL.stream(), Stream.of(FunctionNeeds.GLUE_JOB));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("roles")
    void everyCallTheCodeMakes_isAllowedByItsRole(FunctionNeeds.Function f) {
        List<Map<String, Object>> policy = statements(f);
        List<String> refused = new ArrayList<>();
        for (FunctionNeeds.Call call : f.calls()) {
            Iam.Request r = request(call);
            if (!Iam.allows(policy, r)) {
                refused.add(call.operation() + ": " + r);
            }
        }
        assertThat(refused).as(f.id() + " would be refused").isEmpty();
        assertThat(f.calls()).as(f.id()).isNotEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("roles")
    void noRole_allowsAnObjectActionInAnAreaItsCodeDoesNotTouch(FunctionNeeds.Function f) {
        List<Map<String, Object>> policy = statements(f);
        List<String> broader = new ArrayList<>();
        for (String area : AREAS) {
            for (String action : OBJECT_ACTIONS) {
                boolean needed = f.calls().stream()
                        .anyMatch(c -> c.kind() == FunctionNeeds.Kind.OBJECT
                                && c.action().equals(action)
                                && c.resource().startsWith(area));
                Iam.Request probe = Iam.Request.of(action, bucketArn() + "/" + area + "probe/" + SAMPLE);
                if (!needed && Iam.allows(policy, probe)) {
                    broader.add(probe.toString());
                }
            }
            boolean lists = f.calls().stream()
                    .anyMatch(c -> c.kind() == FunctionNeeds.Kind.BUCKET
                            && c.resource().startsWith(area));
            Iam.Request list = Iam.Request.of("s3:ListBucket", bucketArn()).with("s3:prefix", area + "probe/");
            if (!lists && Iam.allows(policy, list)) {
                broader.add(list.toString());
            }
        }
        assertThat(broader).as(f.id() + " may do more than its code needs").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("roles")
    void noRole_listsTheWholeBucket(FunctionNeeds.Function f) {
        List<Map<String, Object>> policy = statements(f);
        assertThat(Iam.allows(policy, Iam.Request.of("s3:ListBucket", bucketArn())))
                .isFalse();
        assertThat(Iam.allows(
                        policy, Iam.Request.of("s3:ListBucket", bucketArn()).with("s3:prefix", "")))
                .isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("roles")
    void queuesGlueAndTheSecret_onlyAsTheCodeCalls(FunctionNeeds.Function f) {
        List<Map<String, Object>> policy = statements(f);
        List<String> broader = new ArrayList<>();
        for (String queueEnv : List.of(Env.RANGE_QUEUE_URL, Env.REDUCE_QUEUE_URL, Env.PUBLISH_QUEUE_URL)) {
            boolean sends = f.calls().stream()
                    .anyMatch(c -> c.kind() == FunctionNeeds.Kind.QUEUE
                            && c.action().equals("sqs:SendMessage")
                            && c.resource().equals(queueEnv));
            Iam.Request probe = Iam.Request.of("sqs:SendMessage", queueArn(queueEnv));
            if (!sends && Iam.allows(policy, probe)) {
                broader.add(probe.toString());
            }
        }
        for (FunctionNeeds.Glue op : FunctionNeeds.Glue.values()) {
            boolean calls = f.calls().stream().anyMatch(c -> c.action().equals(op.action()));
            Iam.Request probe = Iam.Request.of(op.action(), glueJobArn());
            if (!calls && Iam.allows(policy, probe)) {
                broader.add(probe.toString());
            }
        }
        boolean readsSecret = f.calls().stream().anyMatch(c -> c.kind() == FunctionNeeds.Kind.SECRET);
        if (!readsSecret && Iam.allows(policy, Iam.Request.of(FunctionNeeds.SECRET_VALUE, SECRET))) {
            broader.add("the secret");
        }
        for (String other : List.of("secretsmanager:DescribeSecret", "secretsmanager:PutSecretValue")) {
            if (Iam.allows(policy, Iam.Request.of(other, SECRET))) {
                broader.add(other);
            }
        }
        assertThat(broader).as(f.id() + " may do more than its code needs").isEmpty();
    }

    @Test
    void theSecretGrant_matchesOnlyTheNamedSecret_withItsSixCharacterSuffix() {
        List<Map<String, Object>> policy = statements(FunctionNeeds.SHEETS_EXPORT);
        String base = "arn:aws:secretsmanager:" + Resolver.REGION + ":" + Resolver.ACCOUNT + ":secret:";
        assertThat(Iam.allows(policy, Iam.Request.of(FunctionNeeds.SECRET_VALUE, base + "tally/test-key-Zz9y8X")))
                .isTrue();
        // The partial ARN (what fromSecretNameV2 gives) is never a real secret's ARN.
        assertThat(Iam.allows(policy, Iam.Request.of(FunctionNeeds.SECRET_VALUE, base + "tally/test-key")))
                .isFalse();
        assertThat(Iam.allows(policy, Iam.Request.of(FunctionNeeds.SECRET_VALUE, base + "tally/test-key-other-AbCdEf")))
                .isFalse();
    }

    @Test
    void theSecretGivenAsAnArn_isGrantedExactly() {
        String arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:tally/prod-key-Q1w2E3";
        Stacks.Built b = Stacks.build(withContext("sheetsSecret", arn));
        Resolver r = new Resolver(b.template(), b.stack().getStackName());
        List<Map<String, Object>> policy =
                r.roleStatements(b.id(b.stack().functions().get("SheetsPublish").role()));
        assertThat(Iam.allows(policy, Iam.Request.of(FunctionNeeds.SECRET_VALUE, arn)))
                .isTrue();
        assertThat(Iam.allows(policy, Iam.Request.of(FunctionNeeds.SECRET_VALUE, arn.replace("Q1w2E3", "Q1w2E4"))))
                .isFalse();
    }

    @Test
    void theGlueJob_cannotReadReports_norDeleteAnything() {
        List<Map<String, Object>> policy = statements(FunctionNeeds.GLUE_JOB);
        assertThat(Iam.allows(policy, Iam.Request.of("s3:GetObject", bucketArn() + "/reports/latest/summary.json")))
                .isFalse();
        for (String area : AREAS) {
            assertThat(Iam.allows(policy, Iam.Request.of("s3:DeleteObject", bucketArn() + "/" + area + "x")))
                    .as(area)
                    .isFalse();
        }
    }

    @Test
    void multipartAborts_areGrantedOnlyWhereAMultipartWriteHappens() {
        for (FunctionNeeds.Function f : roles().toList()) {
            List<Map<String, Object>> policy = statements(f);
            for (String area : AREAS) {
                boolean multipart = f.calls().stream()
                        .anyMatch(c -> c.resource().startsWith(area)
                                && (c.operation().equals("UPLOAD")
                                        || c.operation().equals("COPY_TO")));
                assertThat(Iam.allows(
                                policy, Iam.Request.of("s3:AbortMultipartUpload", bucketArn() + "/" + area + "x/y")))
                        .as(f.id() + " " + area)
                        .isEqualTo(multipart);
            }
        }
    }

    /** The evaluator itself, on the cases the checks rely on: it can refuse. */
    @Test
    void theEvaluator_followsIamsWildcardsAndConditions() {
        List<Map<String, Object>> policy = List.of(
                Map.of("Effect", "Allow", "Action", List.of("s3:Get*"), "Resource", "arn:aws:s3:::b/runs/*"),
                Map.of(
                        "Effect",
                        "Allow",
                        "Action",
                        "s3:ListBucket",
                        "Resource",
                        "arn:aws:s3:::b",
                        "Condition",
                        Map.of("StringLike", Map.of("s3:prefix", List.of("runs/*")))),
                Map.of(
                        "Effect",
                        "Allow",
                        "Action",
                        "secretsmanager:GetSecretValue",
                        "Resource",
                        "arn:aws:secretsmanager:r:1:secret:k-??????"),
                Map.of("Effect", "Deny", "Action", "s3:GetObject", "Resource", "arn:aws:s3:::b/runs/secret"));
        assertThat(Iam.allows(policy, Iam.Request.of("S3:GETOBJECT", "arn:aws:s3:::b/runs/a/b.json")))
                .isTrue();
        assertThat(Iam.allows(policy, Iam.Request.of("s3:GetObject", "arn:aws:s3:::b/reports/a")))
                .isFalse();
        assertThat(Iam.allows(policy, Iam.Request.of("s3:GetObject", "arn:aws:s3:::b/runs/secret")))
                .isFalse();
        assertThat(Iam.allows(policy, Iam.Request.of("s3:PutObject", "arn:aws:s3:::b/runs/a")))
                .isFalse();
        assertThat(Iam.allows(
                        policy,
                        Iam.Request.of("s3:ListBucket", "arn:aws:s3:::b").with("s3:prefix", "runs/x/")))
                .isTrue();
        assertThat(Iam.allows(
                        policy,
                        Iam.Request.of("s3:ListBucket", "arn:aws:s3:::b").with("s3:prefix", "incoming/")))
                .isFalse();
        assertThat(Iam.allows(policy, Iam.Request.of("s3:ListBucket", "arn:aws:s3:::b")))
                .isFalse();
        assertThat(Iam.allows(
                        policy,
                        Iam.Request.of("secretsmanager:GetSecretValue", "arn:aws:secretsmanager:r:1:secret:k-AbCdEf")))
                .isTrue();
        assertThat(Iam.allows(
                        policy,
                        Iam.Request.of("secretsmanager:GetSecretValue", "arn:aws:secretsmanager:r:1:secret:k-AbCdE")))
                .isFalse();
        assertThat(Iam.allows(
                        policy, Iam.Request.of("secretsmanager:GetSecretValue", "arn:aws:secretsmanager:r:1:secret:k")))
                .isFalse();
    }

    private List<Map<String, Object>> statements(FunctionNeeds.Function f) {
        String roleId = f == FunctionNeeds.GLUE_JOB
                ? built.id(stack.glue().role())
                : built.id(stack.functions().get(f.id()).role());
        return resolver.roleStatements(roleId);
    }

    private Iam.Request request(FunctionNeeds.Call call) {
        String resource = call.resource().replace("*", SAMPLE);
        return switch (call.kind()) {
            case OBJECT -> Iam.Request.of(call.action(), bucketArn() + "/" + resource);
            case BUCKET -> Iam.Request.of(call.action(), bucketArn()).with("s3:prefix", resource);
            case QUEUE -> Iam.Request.of(call.action(), queueArn(call.resource()));
            case GLUE_JOB -> Iam.Request.of(call.action(), glueJobArn());
            case SECRET -> Iam.Request.of(call.action(), SECRET);
        };
    }

    private String bucketArn() {
        return resolver.arn(built.id(stack.data().bucket()));
    }

    private String queueArn(String env) {
        WorkQueue q =
                switch (env) {
                    case Env.RANGE_QUEUE_URL -> stack.rangeQueue();
                    case Env.REDUCE_QUEUE_URL -> stack.reduceQueue();
                    case Env.PUBLISH_QUEUE_URL -> stack.publishQueue().orElseThrow();
                    default -> throw new IllegalArgumentException("no queue " + env);
                };
        return resolver.arn(built.id(q.queue()));
    }

    private String glueJobArn() {
        return resolver.arn(built.id(stack.glue().job()));
    }

    static Map<String, Object> withContext(String key, Object value) {
        Map<String, Object> c = new HashMap<>(Stacks.CONTEXT);
        c.put(key, value);
        return c;
    }
}
