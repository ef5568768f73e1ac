package io.tally.functions.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The last delivery comes from the queue's own redrive policy, in either form SQS writes it. */
class SqsMessageQueueTest {
    private static final String Q = "https://sqs.eu-west-1.amazonaws.com/111122223333/tally-ranges";

    @Test
    void redrivePolicy_givesTheMaxReceiveCount_asANumberOrAString() {
        assertThat(SqsMessageQueue.redriveMaxReceiveCount(
                        Q, "{\"deadLetterTargetArn\":\"arn:aws:sqs:eu-west-1:1:dlq\",\"maxReceiveCount\":5}"))
                .isEqualTo(OptionalInt.of(5));
        assertThat(SqsMessageQueue.redriveMaxReceiveCount(
                        Q, "{\"maxReceiveCount\":\"3\",\"deadLetterTargetArn\":\"arn:aws:sqs:eu-west-1:1:dlq\"}"))
                .isEqualTo(OptionalInt.of(3));
    }

    @Test
    void noRedrivePolicy_meansNoLastDelivery() {
        assertThat(SqsMessageQueue.redriveMaxReceiveCount(Q, null)).isEmpty();
        assertThat(SqsMessageQueue.redriveMaxReceiveCount(Q, "")).isEmpty();
    }

    @Test
    void aPolicyThatDoesNotParse_isReported() {
        assertThatThrownBy(() -> SqsMessageQueue.redriveMaxReceiveCount(Q, "{\"maxReceiveCount\":\"many\"}"))
                .hasMessageContaining("RedrivePolicy")
                .hasMessageContaining("the queue " + Q + " has");
    }
}
