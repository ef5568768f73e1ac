package io.tally.functions.handlers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.functions.run.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PlannerHandlerTest {
    @Test
    void createdKeys_readsTheS3Notification_decodingTheKey() throws IOException {
        assertThat(PlannerHandler.createdKeys(event("s3-notification.json"), "tally-data"))
                .containsExactly("incoming/inventory/Pullus Inventory Tracker.csv");
    }

    @Test
    void createdKeys_readsTheEventBridgeEvent() throws IOException {
        assertThat(PlannerHandler.createdKeys(event("eventbridge-object-created.json"), "tally-data"))
                .containsExactly("incoming/purchase/Pullus Purchase Tracker.csv");
    }

    @Test
    void createdKeys_ignoresOtherBucketsAndOtherEvents() throws IOException {
        assertThat(PlannerHandler.createdKeys(event("s3-notification.json"), "someone-else"))
                .isEmpty();
        assertThat(PlannerHandler.createdKeys(event("scheduled-event.json"), "tally-data"))
                .isEmpty();
        String deleted = Files.readString(events().resolve("s3-notification.json"))
                .replace("ObjectCreated:Put", "ObjectRemoved:Delete");
        assertThat(PlannerHandler.createdKeys(Json.MAPPER.readTree(deleted), "tally-data"))
                .isEmpty();
    }

    static JsonNode event(String name) throws IOException {
        return Json.MAPPER.readTree(events().resolve(name).toFile());
    }

    static Path events() {
        Path p = Path.of(System.getProperty("tally.events", "../events"));
        return Files.isDirectory(p) ? p : Path.of("events");
    }
}
