package io.tally.infra;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Annotations;
import software.amazon.awscdk.assertions.Match;

/** cdk-nag's AwsSolutions pack finds nothing left unsuppressed, with or without the Sheets part. */
class NagTest {

    @Test
    void awsSolutions_reportsNoErrorOrWarning_onTheFullStack() {
        Annotations annotations = Annotations.fromStack(Stacks.full().stack());
        assertThat(annotations.findError("*", Match.stringLikeRegexp("AwsSolutions-.*")))
                .isEmpty();
        assertThat(annotations.findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*")))
                .isEmpty();
    }

    @Test
    void awsSolutions_reportsNoErrorOrWarning_onTheUploadsOnlyStack() {
        Annotations annotations = Annotations.fromStack(Stacks.uploadsOnly().stack());
        assertThat(annotations.findError("*", Match.stringLikeRegexp("AwsSolutions-.*")))
                .isEmpty();
        assertThat(annotations.findWarning("*", Match.stringLikeRegexp("AwsSolutions-.*")))
                .isEmpty();
    }

    @Test
    void stack_hasNoWarningsOfAnyKind() {
        assertThat(Annotations.fromStack(Stacks.full().stack()).findWarning("*", Match.anyValue()))
                .isEmpty();
    }
}
