package io.tally.functions.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The last delivery comes from the queue's own redrive policy, in either form SQS writes it. */
class SqsMessageQueueTest {
    @Test
    void redrivePolicy_givesTheMaxReceiveCount_asANumberOrAString() {
        assertThat(SqsMessageQueue.redriveMaxReceiveCount(
                "{\"deadLetterTargetArn\":\"arn:aws:sqs:eu-west-1:1:dlq\",\"maxReceiveCount\":5}")).isEqualTo(OptionalInt.of(5));
        assertThat(SqsMessageQueue.redriveMaxReceiveCount(
                "{\"maxReceiveCount\":\"3\",\"deadLetterTargetArn\":\"arn:aws:sqs:eu-west-1:1:dlq\"}"))
                .isEqualTo(OptionalInt.of(3));
    }

    @Test
    void noRedrivePolicy_meansNoLastDelivery() {
        assertThat(SqsMessageQueue.redriveMaxReceiveCount(null)).isEmpty();
        assertThat(SqsMessageQueue.redriveMaxReceiveCount("")).isEmpty();
    }

    @Test
    void aPolicyThatDoesNotParse_isReported() {
        assertThatThrownBy(() -> SqsMessageQueue.redriveMaxReceiveCount("{\"maxReceiveCount\":\"many\"}"))
                .hasMessageContaining("RedrivePolicy");
    }
}
