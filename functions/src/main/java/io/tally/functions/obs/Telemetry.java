package io.tally.functions.obs;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tally.functions.run.Json;
import io.tally.names.MetricNames;
import io.tally.storage.run.Tier;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import software.amazon.cloudwatchlogs.emf.environment.Environment;
import software.amazon.cloudwatchlogs.emf.environment.LambdaEnvironment;
import software.amazon.cloudwatchlogs.emf.logger.MetricsLogger;
import software.amazon.cloudwatchlogs.emf.model.DimensionSet;
import software.amazon.cloudwatchlogs.emf.model.MetricsContext;
import software.amazon.cloudwatchlogs.emf.model.Unit;
import software.amazon.cloudwatchlogs.emf.sinks.ISink;

/**
 * What the functions tell CloudWatch: CloudWatch Embedded Metric Format lines (namespace {@code Tally}) and one
 * structured JSON log line per event handled, each carrying the run id. In Lambda both go to stdout, which
 * CloudWatch Logs ingests. Each metric is emitted under two dimension sets ({@link MetricNames}): {@code function}
 * and {@code tier}, and none at all, the rollup the stack's alarms watch whichever function emitted it.
 */
public final class Telemetry {
    public static final String NAMESPACE = MetricNames.NAMESPACE;

    private final Environment environment;
    private final Consumer<String> logLines;

    private Telemetry(Environment environment, Consumer<String> logLines) {
        this.environment = environment;
        this.logLines = logLines;
    }

    /** In Lambda: EMF through the library's Lambda environment, logs to stdout. */
    public static Telemetry lambda() {
        return new Telemetry(new LambdaEnvironment(), System.out::println);
    }

    /** Everything (metric lines and log lines) to one consumer, for tests and {@code tally local}. */
    public static Telemetry to(Consumer<String> lines) {
        return new Telemetry(new LineEnvironment(lines), lines);
    }

    /** A structured log line: {@code {"time", "level", "function", "event", "runId", ...fields}}. */
    public void log(String function, String event, String runId, Map<String, ?> fields) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", Instant.now().toString());
        line.put("level", event.endsWith("failed") ? "ERROR" : "INFO");
        line.put("function", function);
        line.put("event", event);
        line.put("runId", runId);
        // Numbers, booleans and text go as they are; anything else (an Instant, say) as its text, so a log
        // line can never fail the work it reports on.
        fields.forEach((k, v) -> line.put(
                k,
                v == null || v instanceof Number || v instanceof Boolean || v instanceof CharSequence
                        ? v
                        : v.toString()));
        logLines.accept(Json.line(line));
    }

    /** Starts a set of metrics for one function and tier; {@link Metrics#flush} emits them as one EMF line. */
    public Metrics metrics(String function, Tier tier, String runId) {
        MetricsLogger logger = new MetricsLogger(environment);
        try {
            logger.setNamespace(NAMESPACE);
            logger.setDimensions(
                    DimensionSet.of(MetricNames.DIM_FUNCTION, function, MetricNames.DIM_TIER, tier.name()),
                    new DimensionSet());
        } catch (Exception e) {
            throw new IllegalStateException("cannot set up metrics: " + e.getMessage(), e);
        }
        logger.putProperty("runId", runId);
        return new Metrics(logger);
    }

    /** One EMF record being built. */
    public static final class Metrics {
        private final MetricsLogger logger;

        private Metrics(MetricsLogger logger) {
            this.logger = logger;
        }

        public Metrics count(String name, double value) {
            return put(name, value, Unit.COUNT);
        }

        public Metrics bytes(String name, double value) {
            return put(name, value, Unit.BYTES);
        }

        public Metrics millis(String name, double value) {
            return put(name, value, Unit.MILLISECONDS);
        }

        public Metrics none(String name, double value) {
            return put(name, value, Unit.NONE);
        }

        private Metrics put(String name, double value, Unit unit) {
            try {
                logger.putMetric(name, value, unit);
            } catch (Exception e) {
                throw new IllegalArgumentException("bad metric " + name + ": " + e.getMessage(), e);
            }
            return this;
        }

        public void flush() {
            logger.flush();
        }
    }

    /** An EMF environment that hands each serialized line to a consumer. */
    private record LineEnvironment(Consumer<String> lines) implements Environment {
        @Override
        public boolean probe() {
            return true;
        }

        @Override
        public String getName() {
            return "tally";
        }

        @Override
        public String getType() {
            return "Local";
        }

        @Override
        public String getLogGroupName() {
            return "";
        }

        @Override
        public void configureContext(MetricsContext context) {
            // nothing to add outside Lambda
        }

        @Override
        public ISink getSink() {
            return new ISink() {
                @Override
                public void accept(MetricsContext context) {
                    try {
                        context.serialize().forEach(lines);
                    } catch (JsonProcessingException e) {
                        throw new IllegalStateException("cannot serialize metrics", e);
                    }
                }

                @Override
                public CompletableFuture<Void> shutdown() {
                    return CompletableFuture.completedFuture(null);
                }
            };
        }
    }
}
