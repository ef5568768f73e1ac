package io.tally.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.names.BucketKeys;
import io.tally.names.Env;
import io.tally.names.FunctionNeeds;
import io.tally.names.HandlerClasses;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The seven functions: runtime, size, SnapStart, handler and environment names, and their grants. */
class FunctionsTest {
    private final Stacks.Built built = Stacks.full();
    private final Template template = built.template();

    /** Each function's handler class and size. */
    private static final Map<String, Map.Entry<String, Sizes.Size>> EXPECTED = Map.of(
            "Planner", Map.entry(HandlerClasses.PLANNER, Sizes.PLANNER),
            "Worker", Map.entry(HandlerClasses.WORKER, Sizes.WORKER),
            "Reducer", Map.entry(HandlerClasses.REDUCER, Sizes.REDUCER),
            "GlueState", Map.entry(HandlerClasses.GLUE_STATE, Sizes.GLUE_STATE),
            "Watchdog", Map.entry(HandlerClasses.WATCHDOG, Sizes.WATCHDOG),
            "SheetsExport", Map.entry(HandlerClasses.SHEETS_EXPORT, Sizes.SHEETS_EXPORT),
            "SheetsPublish", Map.entry(HandlerClasses.SHEETS_PUBLISH, Sizes.SHEETS_PUBLISH));

    @Test
    void everyHandler_isDeployed_asJava21OnArm64WithSnapStart_sizedFromSizes() {
        template.resourceCountIs("AWS::Lambda::Function", HandlerClasses.ALL.size());
        assertThat(EXPECTED.values().stream().map(Map.Entry::getKey))
                .containsExactlyInAnyOrderElementsOf(HandlerClasses.ALL);
        EXPECTED.forEach((id, e) -> template.hasResourceProperties(
                "AWS::Lambda::Function",
                Match.objectLike(Map.of(
                        "Handler", e.getKey() + "::handleRequest",
                        "Runtime", "java21",
                        "Architectures", List.of("arm64"),
                        "MemorySize", e.getValue().memoryMb(),
                        "Timeout", e.getValue().timeout().toSeconds().intValue(),
                        "SnapStart", Map.of("ApplyOn", "PublishedVersions")))));
    }

    @Test
    void everyFunction_hasALiveAliasOnAPublishedVersion() {
        template.resourceCountIs("AWS::Lambda::Alias", HandlerClasses.ALL.size());
        template.resourceCountIs("AWS::Lambda::Version", HandlerClasses.ALL.size());
        template.hasResourceProperties(
                "AWS::Lambda::Alias",
                Match.objectLike(Map.of(
                        "Name",
                        TallyFunction.ALIAS,
                        "FunctionVersion",
                        Map.of("Fn::GetAtt", List.of(Match.anyValue(), "Version")))));
    }

    @Test
    void code_isTheFunctionsJar_builtBeforeThisModule() {
        assertThat(Path.of(Settings.defaults().lambdaJar())).isRegularFile();
        template.allResourcesProperties(
                "AWS::Lambda::Function",
                Match.objectLike(Map.of(
                        "Code",
                        Map.of(
                                "S3Bucket",
                                Match.anyValue(),
                                "S3Key",
                                Match.stringLikeRegexp("^[0-9a-f]{64}\\.jar$")))));
    }

    @Test
    void environment_usesTheNamesTheFunctionsRead() {
        TallyStack stack = built.stack();
        template.hasResourceProperties(
                "AWS::Lambda::Function",
                Match.objectLike(Map.of(
                        "Handler",
                        HandlerClasses.PLANNER + "::handleRequest",
                        "Environment",
                        Map.of(
                                "Variables",
                                Map.ofEntries(
                                        Map.entry(
                                                Env.BUCKET,
                                                Map.of(
                                                        "Ref",
                                                        built.id(stack.data().bucket()))),
                                        Map.entry(
                                                Env.RANGE_QUEUE_URL,
                                                Map.of(
                                                        "Ref",
                                                        built.id(
                                                                stack.rangeQueue()
                                                                        .queue()))),
                                        Map.entry(
                                                Env.REDUCE_QUEUE_URL,
                                                Map.of(
                                                        "Ref",
                                                        built.id(
                                                                stack.reduceQueue()
                                                                        .queue()))),
                                        Map.entry(
                                                Env.PUBLISH_QUEUE_URL,
                                                Map.of(
                                                        "Ref",
                                                        built.id(
                                                                stack.publishQueue()
                                                                        .orElseThrow()
                                                                        .queue()))),
                                        Map.entry(
                                                Env.GLUE_JOB_NAME,
                                                Map.of(
                                                        "Ref",
                                                        built.id(stack.glue().job()))),
                                        Map.entry(Env.TOLERANCE_KG, "1.25"),
                                        Map.entry(Env.DATE_ORDER, "month-first"))))));
        template.hasResourceProperties(
                "AWS::Lambda::Function",
                Match.objectLike(Map.of(
                        "Handler",
                        HandlerClasses.WATCHDOG + "::handleRequest",
                        "Environment",
                        Map.of(
                                "Variables",
                                Map.of(
                                        Env.BUCKET,
                                                Map.of(
                                                        "Ref",
                                                        built.id(stack.data().bucket())),
                                        Env.PUBLISH_QUEUE_URL,
                                                Map.of(
                                                        "Ref",
                                                        built.id(
                                                                stack.publishQueue()
                                                                        .orElseThrow()
                                                                        .queue())),
                                        Env.GLUE_JOB_NAME,
                                                Map.of(
                                                        "Ref",
                                                        built.id(stack.glue().job())),
                                        Env.STALL_MINUTES, "45",
                                        Env.MAX_UPLOAD_AGE_HOURS, "30")))));
        template.hasResourceProperties(
                "AWS::Lambda::Function",
                Match.objectLike(Map.of(
                        "Handler",
                        HandlerClasses.SHEETS_EXPORT + "::handleRequest",
                        "Environment",
                        Map.of(
                                "Variables",
                                Map.of(
                                        Env.BUCKET,
                                                Map.of(
                                                        "Ref",
                                                        built.id(stack.data().bucket())),
                                        Env.SHEETS_PURCHASE, "PURCHASE_ID:Sheet1",
                                        Env.SHEETS_INVENTORY, "INVENTORY_ID",
                                        Env.SHEETS_REPORT, "REPORT_ID",
                                        Env.SHEETS_SECRET, "tally/test-key",
                                        Env.DATE_ORDER, "month-first")))));
    }

    @Test
    void eachFunction_getsExactlyTheEnvironmentItsCodeReads() {
        Map<String, Map<String, Object>> fns = built.template().findResources("AWS::Lambda::Function");
        for (FunctionNeeds.Function needs : FunctionNeeds.ALL) {
            TallyFunction f = built.stack().functions().get(needs.id());
            @SuppressWarnings("unchecked")
            Map<String, Object> props =
                    (Map<String, Object>) fns.get(built.id(f.function())).get("Properties");
            @SuppressWarnings("unchecked")
            Map<String, Object> vars =
                    (Map<String, Object>) ((Map<String, Object>) props.get("Environment")).get("Variables");
            List<String> allowed = new ArrayList<>(needs.env());
            allowed.addAll(needs.tuning());
            assertThat(allowed).as(needs.id()).containsAll(vars.keySet());
            assertThat(vars).as(needs.id()).containsKey(Env.BUCKET);
        }
        // Only the Sheets functions read the secret's name, so only they build a Secrets Manager client.
        for (String id : List.of("Planner", "Worker", "Reducer", "GlueState", "Watchdog")) {
            assertThat(FunctionNeeds.of(id).env()).as(id).doesNotContain(Env.SHEETS_SECRET, Env.SHEETS_PURCHASE);
        }
        // A tuning setting reaches the functions that read it, and no other.
        template.hasResourceProperties(
                "AWS::Lambda::Function",
                Match.objectLike(Map.of(
                        "Handler",
                        HandlerClasses.WORKER + "::handleRequest",
                        "Environment",
                        Map.of(
                                "Variables",
                                Match.objectLike(
                                        Map.of(Env.TOLERANCE_KG, Match.absent(), Env.DATE_ORDER, Match.absent()))))));
    }

    @Test
    void theSheetsPublish_runsAtMostAsManyAsItsEventSource_soNoneIsThrottled() {
        TallyFunction publish = built.stack().functions().get("SheetsPublish");
        template.hasResourceProperties(
                "AWS::Lambda::Function",
                Match.objectLike(Map.of(
                        "Handler",
                        HandlerClasses.SHEETS_PUBLISH + "::handleRequest",
                        "ReservedConcurrentExecutions",
                        TallyStack.PUBLISH_CONCURRENCY)));
        // Lambda's lowest maximum concurrency for an SQS event source is 2; a reservation below it would throttle the
        // source, and a throttled message waits out its 90-minute visibility timeout. The publish lock does the rest.
        assertThat(TallyStack.PUBLISH_CONCURRENCY).isEqualTo(TallyStack.PUBLISH_EVENT_SOURCE_CONCURRENCY);
        template.hasResourceProperties(
                "AWS::Lambda::EventSourceMapping",
                Match.objectLike(Map.of(
                        "EventSourceArn",
                                Map.of(
                                        "Fn::GetAtt",
                                        List.of(
                                                built.id(built.stack()
                                                        .publishQueue()
                                                        .orElseThrow()
                                                        .queue()),
                                                "Arn")),
                        "ScalingConfig", Map.of("MaximumConcurrency", TallyStack.PUBLISH_EVENT_SOURCE_CONCURRENCY))));
        assertThat(TallyStack.PUBLISH_EVENT_SOURCE_CONCURRENCY).isEqualTo(2);
        assertThat(publish.alias().getAliasName()).isEqualTo(TallyFunction.ALIAS);
        for (String id : List.of("Planner", "Worker", "Reducer", "GlueState", "Watchdog", "SheetsExport")) {
            template.hasResourceProperties(
                    "AWS::Lambda::Function",
                    Match.objectLike(Map.of(
                            "Handler",
                            FunctionNeeds.of(id).handler() + "::handleRequest",
                            "ReservedConcurrentExecutions",
                            Match.absent())));
        }
    }

    @Test
    void theGlueStateHandlerAndTheWatchdog_haveTimeForAMultipartCopy() {
        for (String handler : List.of(HandlerClasses.GLUE_STATE, HandlerClasses.WATCHDOG)) {
            template.hasResourceProperties(
                    "AWS::Lambda::Function",
                    Match.objectLike(Map.of("Handler", handler + "::handleRequest", "Timeout", 900)));
        }
    }

    @Test
    void theReducersTmp_comesFromContext_andOver512MbItRunsWithoutSnapStart() {
        template.hasResourceProperties(
                "AWS::Lambda::Function",
                Match.objectLike(Map.of(
                        "Handler",
                        HandlerClasses.REDUCER + "::handleRequest",
                        "EphemeralStorage",
                        Map.of("Size", 512),
                        "SnapStart",
                        Map.of("ApplyOn", "PublishedVersions"))));
        Template big = Stacks.build(Map.of("reducerTmpMb", 10_240)).template();
        big.hasResourceProperties(
                "AWS::Lambda::Function",
                Match.objectLike(Map.of(
                        "Handler",
                        HandlerClasses.REDUCER + "::handleRequest",
                        "EphemeralStorage",
                        Map.of("Size", 10_240),
                        "SnapStart",
                        Match.absent())));
        big.hasResourceProperties(
                "AWS::Lambda::Function",
                Match.objectLike(Map.of(
                        "Handler",
                        HandlerClasses.WORKER + "::handleRequest",
                        "EphemeralStorage",
                        Map.of("Size", 512),
                        "SnapStart",
                        Map.of("ApplyOn", "PublishedVersions"))));
    }

    @Test
    void functionsInvokedAsynchronously_keepFailedEventsInAQueueOfTheirOwn() {
        for (String id : List.of("Planner", "GlueState", "Watchdog", "SheetsExport")) {
            TallyFunction f = built.stack().functions().get(id);
            template.hasResourceProperties(
                    "AWS::Lambda::Function",
                    Match.objectLike(Map.of(
                            "DeadLetterConfig",
                            Map.of(
                                    "TargetArn",
                                    Map.of(
                                            "Fn::GetAtt",
                                            List.of(built.id(f.failedEvents().orElseThrow()), "Arn"))))));
            template.hasResourceProperties(
                    "AWS::SQS::Queue",
                    Match.objectLike(Map.of("SqsManagedSseEnabled", true, "MessageRetentionPeriod", 1209600)));
        }
        for (String id : List.of("Worker", "Reducer", "SheetsPublish")) {
            assertThat(built.stack().functions().get(id).failedEvents()).as(id).isEmpty();
        }
    }

    @Test
    void roles_carryNoManagedPolicy_andLogOnlyToTheirOwnGroup() {
        for (TallyFunction f : built.stack().functions().values()) {
            template.hasResourceProperties(
                    "AWS::IAM::Role",
                    Match.objectLike(Map.of(
                            "AssumeRolePolicyDocument",
                                    Match.objectLike(Map.of(
                                            "Statement",
                                            List.of(Match.objectLike(
                                                    Map.of("Principal", Map.of("Service", "lambda.amazonaws.com")))))),
                            "ManagedPolicyArns", Match.absent())));
            policyHas(f, List.of("logs:CreateLogStream", "logs:PutLogEvents"), Match.anyValue());
        }
    }

    @Test
    void planner_startsAndListsGlueJobRuns_andSendsRanges() {
        TallyFunction planner = built.stack().functions().get("Planner");
        policyHas(planner, List.of("glue:StartJobRun", "glue:GetJobRuns"), glueJob());
        policyHas(planner, "s3:GetObject", objects(BucketKeys.INCOMING));
        policyHas(planner, List.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject"), objects(BucketKeys.RUNS));
        policyHas(planner, List.of("s3:PutObject", "s3:AbortMultipartUpload"), objects(BucketKeys.REPORTS));
        policyHas(
                planner,
                Match.arrayWith(List.of("sqs:SendMessage")),
                Map.of("Fn::GetAtt", List.of(built.id(built.stack().rangeQueue().queue()), "Arn")));
    }

    @Test
    void watchdog_mayOnlyGetJobRuns_andTheGlueStateHandlerCallsNoGlueApi() {
        policyHas(built.stack().functions().get("Watchdog"), "glue:GetJobRun", glueJob());
        template.hasResourceProperties(
                "AWS::IAM::Policy",
                Match.objectLike(Map.of(
                        "Roles",
                                List.of(Map.of(
                                        "Ref",
                                        built.id(built.stack()
                                                .functions()
                                                .get("GlueState")
                                                .role()))),
                        "PolicyDocument",
                                Map.of(
                                        "Version",
                                        "2012-10-17",
                                        "Statement",
                                        Match.not(Match.arrayWith(
                                                List.of(Match.objectLike(Map.of("Resource", glueJob())))))))));
    }

    @Test
    void worker_readsIncomingAndWritesRuns_butNeverTouchesReports() {
        TallyFunction worker = built.stack().functions().get("Worker");
        policyHas(worker, "s3:GetObject", objects(BucketKeys.INCOMING));
        template.hasResourceProperties(
                "AWS::IAM::Policy",
                Match.objectLike(Map.of(
                        "Roles", List.of(Map.of("Ref", built.id(worker.role()))),
                        "PolicyDocument",
                                Map.of(
                                        "Version",
                                        "2012-10-17",
                                        "Statement",
                                        Match.not(Match.arrayWith(List.of(Match.objectLike(
                                                Map.of("Resource", objects(BucketKeys.REPORTS))))))))));
    }

    @Test
    void sheetsFunctions_readOnlyTheSecretsValue() {
        for (String id : List.of("SheetsExport", "SheetsPublish")) {
            policyHas(built.stack().functions().get(id), "secretsmanager:GetSecretValue", Match.anyValue());
        }
        // Read too: an unchanged sheet's export checks its last upload is still there (HeadObject needs GetObject).
        policyHas(
                built.stack().functions().get("SheetsExport"),
                List.of("s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"),
                objects(BucketKeys.INCOMING));
        String secret =
                "arn:aws:secretsmanager:" + Resolver.REGION + ":" + Resolver.ACCOUNT + ":secret:tally/test-key-??????";
        Resolver r = new Resolver(template, built.stack().getStackName());
        for (String id : List.of("SheetsExport", "SheetsPublish")) {
            assertThat(r.roleStatements(
                            built.id(built.stack().functions().get(id).role())))
                    .anySatisfy(st -> assertThat(st)
                            .containsEntry("Action", FunctionNeeds.SECRET_VALUE)
                            .containsEntry("Resource", secret));
        }
    }

    @Test
    void noPolicy_grantsAStarAction() {
        List<String> stars = new ArrayList<>();
        for (String action : List.of("*", "s3:*", "sqs:*", "glue:*", "secretsmanager:*", "kms:*")) {
            stars.addAll(policiesWithAction(Match.arrayWith(List.of(action))));
            stars.addAll(policiesWithAction(action));
        }
        assertThat(stars).isEmpty();
    }

    @Test
    void uploadsOnly_deploysNoSheetsFunctionNorPublishQueue() {
        Template plain = Stacks.uploadsOnly().template();
        plain.resourceCountIs("AWS::Lambda::Function", 5);
        // Range and reduce queues with their DLQs, and the failed events of the planner, GlueState and watchdog.
        plain.resourceCountIs("AWS::SQS::Queue", 4 + 3);
        plain.resourceCountIs("AWS::Scheduler::Schedule", 0);
        plain.allResourcesProperties(
                "AWS::Lambda::Function",
                Match.objectLike(Map.of(
                        "Environment",
                        Map.of(
                                "Variables",
                                Match.objectLike(Map.of(
                                        Env.PUBLISH_QUEUE_URL, Match.absent(), Env.SHEETS_SECRET, Match.absent()))))));
    }

    private Set<String> policiesWithAction(Object action) {
        return template.findResources(
                        "AWS::IAM::Policy",
                        Match.objectLike(Map.of(
                                "Properties",
                                Match.objectLike(Map.of(
                                        "PolicyDocument",
                                        Match.objectLike(Map.of(
                                                "Statement",
                                                Match.arrayWith(
                                                        List.of(Match.objectLike(Map.of("Action", action)))))))))))
                .keySet();
    }

    private void policyHas(TallyFunction f, Object actions, Object resource) {
        template.hasResourceProperties(
                "AWS::IAM::Policy",
                Match.objectLike(Map.of(
                        "Roles", List.of(Map.of("Ref", built.id(f.role()))),
                        "PolicyDocument",
                                Match.objectLike(Map.of(
                                        "Statement",
                                        Match.arrayWith(List.of(Match.objectLike(Map.of(
                                                "Action", actions, "Effect", "Allow", "Resource", resource)))))))));
    }

    private Object objects(String prefix) {
        return Map.of(
                "Fn::Join",
                List.of(
                        "",
                        List.of(
                                Map.of(
                                        "Fn::GetAtt",
                                        List.of(built.id(built.stack().data().bucket()), "Arn")),
                                "/" + prefix + "*")));
    }

    private Object glueJob() {
        return Map.of(
                "Fn::Join",
                List.of(
                        "",
                        Match.arrayWith(List.of(
                                ":job/",
                                Map.of("Ref", built.id(built.stack().glue().job()))))));
    }
}
