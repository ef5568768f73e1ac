package io.tally.functions.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.tally.core.Tracker;
import io.tally.functions.handlers.ReducerHandler;
import io.tally.functions.handlers.WorkerHandler;
import io.tally.storage.run.RunKeys;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
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
        SQSBatchResponse r = new WorkerHandler(f.wiring).handleRequest(event("m-1", "{not json"), null);
        assertThat(r.getBatchItemFailures())
                .extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly("m-1");
        assertThat(f.lines).anySatisfy(l -> assertThat(l)
                .contains("\"event\":\"message.failed\"")
                .contains("\"messageId\":\"m-1\"")
                .contains("\"delivery\":2")
                .contains("\"level\":\"ERROR\"")
                .contains("cannot read RangeMessage"));
    }

    @Test
    void reducer_requestForARunWithoutManifest_isReportedByMessageId_andFailedBackToTheQueue() {
        RunFixture f = RunFixture.inline();
        SQSBatchResponse r = new ReducerHandler(f.wiring).handleRequest(event("m-2", "{\"runId\":\"nope\"}"), null);
        assertThat(r.getBatchItemFailures())
                .extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly("m-2");
        assertThat(f.lines).anySatisfy(l -> assertThat(l)
                .contains("\"event\":\"message.failed\"")
                .contains("\"messageId\":\"m-2\"")
                .contains("run nope has no manifest"));
    }

    @Test
    void reducer_whileAnotherHoldsTheLease_handsTheMessageBack_asAnOutcomeAtInfo_notAsAFailure() {
        RunFixture f = RunFixture.fanOut(1 << 20);
        f.upload(
                Tracker.PURCHASE,
                "p.csv",
                "DATE,PURCHASE OFFICER NAME,INVOICE NUMBER,NUMBER OF BIRDS,"
                        + "PURCHASED CHICKEN WEIGHT\n2024-01-01,Ada Obi,I1,10,100\n");
        Planner.Planned p = f.upload(
                Tracker.INVENTORY,
                "i.csv",
                "DATE,PURCHASE OFFICER NAME,"
                        + "NUMBER OF BIRDS,INVENTORY CHICKEN WEIGHT\n2024-01-01,Ada Obi,10,100\n");
        f.store.setClock(Instant.now()); // a lease taken just now: its holder is alive
        f.store.put(
                RunKeys.reducingLease(p.runId(), 1), "a live reducer".getBytes(StandardCharsets.UTF_8), "text/plain");
        SQSBatchResponse r =
                new ReducerHandler(f.wiring).handleRequest(event("m-3", Json.text(new ReduceMessage(p.runId()))), null);
        assertThat(r.getBatchItemFailures())
                .extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .containsExactly("m-3");
        assertThat(f.lines).anySatisfy(l -> assertThat(l)
                .contains("\"event\":\"message.again\"")
                .contains("\"messageId\":\"m-3\"")
                .contains("\"level\":\"INFO\""));
        assertThat(f.lines).noneSatisfy(l -> assertThat(l).contains("\"level\":\"ERROR\""));
    }
}
