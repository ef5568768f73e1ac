package io.tally.functions.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.tally.functions.handlers.ChunkWorkerHandler;
import io.tally.functions.handlers.ReduceHandler;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A message that fails is logged with its id, its delivery and the cause, and is left to the queue. */
class HandlerFailuresTest {
    private static SQSEvent event(String id, String body) {
        SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
        m.setMessageId(id);
        m.setBody(body);
        m.setAttributes(Map.of("ApproximateReceiveCount", "2"));
        SQSEvent e = new SQSEvent();
        e.setRecords(List.of(m));
        return e;
    }

    @Test
    void worker_bodyThatDoesNotParse_isReportedByMessageId_andFailedBackToTheQueue() {
        RunFixture f = RunFixture.inline();
        SQSBatchResponse r = new ChunkWorkerHandler(f.wiring).handleRequest(event("m-1", "{not json"), null);
        assertThat(r.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly("m-1");
        assertThat(f.lines).anySatisfy(l -> assertThat(l).contains("\"event\":\"message.failed\"")
                .contains("\"messageId\":\"m-1\"").contains("\"delivery\":2").contains("\"level\":\"ERROR\"")
                .contains("cannot read RangeMessage"));
    }

    @Test
    void reducer_requestForARunWithoutManifest_isReportedByMessageId_andFailedBackToTheQueue() {
        RunFixture f = RunFixture.inline();
        SQSBatchResponse r = new ReduceHandler(f.wiring).handleRequest(event("m-2", "{\"runId\":\"nope\"}"), null);
        assertThat(r.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly("m-2");
        assertThat(f.lines).anySatisfy(l -> assertThat(l).contains("\"event\":\"message.failed\"")
                .contains("\"messageId\":\"m-2\"").contains("run nope has no manifest"));
    }
}
