package io.tally.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.App;

/** The stage: the stack's name, and so every physical name, so that stages share an account and region. */
class StagesTest {
    /** Properties that give a resource its physical name. */
    static final List<String> NAME_PROPERTIES = List.of(
            "BucketName",
            "QueueName",
            "TopicName",
            "FunctionName",
            "LogGroupName",
            "RoleName",
            "RuleName",
            "TableName",
            "AlarmName",
            "DashboardName",
            "Name");

    /** The resource types Tally creates that have a physical name. */
    static final List<String> NAMED_TYPES = List.of(
            "AWS::S3::Bucket",
            "AWS::SQS::Queue",
            "AWS::SNS::Topic",
            "AWS::Lambda::Function",
            "AWS::Logs::LogGroup",
            "AWS::Glue::Job",
            "AWS::Glue::SecurityConfiguration",
            "AWS::IAM::Role",
            "AWS::Events::Rule",
            "AWS::CloudWatch::Alarm",
            "AWS::CloudWatch::Dashboard",
            "AWS::KMS::Key",
            "AWS::Scheduler::Schedule");

    @Test
    void withoutContext_theStackIsTallyDev() {
        assertThat(Stacks.uploadsOnly().stack().getStackName()).isEqualTo("Tally-dev");
    }

    @Test
    void theStageFromContext_namesTheStack() {
        Stacks.Built prod = Stacks.build(Map.of("stage", "prod"));
        assertThat(prod.stack().getStackName()).isEqualTo("Tally-prod");
        assertThat(prod.stack().getNode().getId()).isEqualTo("Tally-prod");
    }

    @Test
    void everyExplicitPhysicalName_comesFromTheStackName() {
        Stacks.Built built = Stacks.full();
        Resolver r = new Resolver(built.template(), built.stack().getStackName());
        Map<String, Object> resources = built.template().toJSON().entrySet().stream()
                .filter(e -> e.getKey().equals("Resources"))
                .map(e -> (Map<String, Object>) cast(e.getValue()))
                .findFirst()
                .orElseThrow();
        int named = 0;
        for (String id : resources.keySet()) {
            Map<String, Object> props = r.properties(id);
            for (String p : NAME_PROPERTIES) {
                // Only the resources a name creates: an event source's FunctionName refers to a function, and an
                // alias's Name is "live" inside its own function, which is named after the stack.
                if (props.containsKey(p) && NAMED_TYPES.contains(r.type(id))) {
                    assertThat(r.resolve(props.get(p)).toString())
                            .as(id + "." + p)
                            .contains(built.stack().getStackName());
                    named++;
                }
            }
        }
        assertThat(named)
                .as("the topic, the Glue security configuration and log groups are named")
                .isGreaterThan(2);
    }

    @Test
    void twoStagesInOneAccount_shareNoPhysicalName() {
        Set<String> test = physicalNames(Stacks.build(Map.of("stage", "test")));
        Set<String> prod = physicalNames(Stacks.build(Map.of("stage", "prod")));
        Set<String> both = new HashSet<>(test);
        both.retainAll(prod);
        assertThat(both).isEmpty();
        assertThat(test).isNotEmpty();
    }

    @Test
    void aStageThatCannotNameABucket_isRefused() {
        for (String bad : List.of("Prod", "1st", "prod_eu", "", "a-very-long-stage-name-indeed")) {
            assertThatThrownBy(() -> Settings.fromContext(App.Builder.create()
                            .context(Map.of("stage", bad))
                            .build()
                            .getNode()))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("stage");
        }
    }

    private static Set<String> physicalNames(Stacks.Built built) {
        Resolver r = new Resolver(built.template(), built.stack().getStackName());
        Set<String> names = new HashSet<>();
        for (String type : NAMED_TYPES) {
            for (String id : r.ofType(type)) {
                names.add(type + " " + r.physicalName(id));
            }
        }
        return names;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object o) {
        return (Map<String, Object>) o;
    }
}
