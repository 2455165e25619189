package com.kasparro.etl.observe;

import com.kasparro.etl.normalize.SourceSpec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * The service's own metrics, labelled by source. In Prometheus:
 * {@code etl_records_total{source,outcome}}, {@code etl_runs_total{source,status}},
 * {@code etl_run_duration_seconds{source}}, {@code etl_retries_total{source}},
 * {@code etl_schema_drift_total{source}} and {@code etl_last_success_timestamp_seconds{source}}.
 *
 * <p>Every series of the known sources exists from the start at 0, so that rate() and absence
 * alerts work before the first run.
 */
@Component
public class EtlMetrics {

    static final List<String> OUTCOMES = List.of("inserted", "updated", "skipped", "rejected");
    static final List<String> RUN_SOURCES = List.of("coingecko_api", "products_csv", "vendors_csv", "inbox");

    private final MeterRegistry registry;
    private final Map<String, AtomicLong> lastSuccessMillis = new ConcurrentHashMap<>();

    public EtlMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (String source : RUN_SOURCES) {
            runs(source, "success");
            runs(source, "failed");
            lastSuccess(source);
        }
        for (String source : SourceSpec.ALL_SOURCES) {
            OUTCOMES.forEach(outcome -> records(source, outcome));
            retries(source);
            drifts(source);
        }
        for (SourceSpec csv : List.of(SourceSpec.PRODUCTS, SourceSpec.VENDORS)) {
            earlyLookups(csv.source(), true);
            earlyLookups(csv.source(), false);
            linesLost(csv.source());
        }
    }

    /** A batch's committed counts (called after its transaction committed). */
    public void batchCommitted(String source, long inserted, long updated, long skipped, long rejected) {
        records(source, "inserted").increment(inserted);
        records(source, "updated").increment(updated);
        records(source, "skipped").increment(skipped);
        records(source, "rejected").increment(rejected);
    }

    /**
     * A crash of PostgreSQL lost {@code lines} lines of a file whose batches it had acknowledged
     * (asynchronous batch commits); the file resumes and reads them again. Their records were
     * counted in {@code etl.records} at their first commit and are counted again: this is how many
     * lines that affects, since a counter cannot be taken back.
     */
    public void linesLost(String source, long lines) {
        linesLost(source).increment(lines);
    }

    /** A run ended with {@code status} ("success" or "failed") after {@code duration}. */
    public void runFinished(String source, String status, Duration duration) {
        runs(source, status).increment();
        Timer.builder("etl.run.duration").description("Duration of finished runs").tag("source", source)
                .register(registry).record(duration.isNegative() ? Duration.ZERO : duration);
        if ("success".equals(status)) {
            lastSuccess(source).accumulateAndGet(System.currentTimeMillis(), Math::max);
        }
    }

    /** One retry of a transient failure (logged as "Retrying (n/m) ..."). */
    public void retry(String source) {
        retries(source).increment();
    }

    /**
     * A batch merged after an early lookup (BatchLookup): {@code reused} when the merge could trust it;
     * otherwise the merge looked the keys up again (another input wrote the source meanwhile, or an
     * earlier batch of the same run wrote one of its keys).
     */
    public void earlyLookup(String source, boolean reused) {
        earlyLookups(source, reused).increment();
    }

    /** A schema change detected for {@code source}. */
    public void drift(String source) {
        drifts(source).increment();
    }

    /** The last success known from the database, so that the gauge survives a restart. */
    public void lastSuccessAt(String source, long epochMillis) {
        lastSuccess(source).accumulateAndGet(epochMillis, Math::max);
    }

    private Counter records(String source, String outcome) {
        return Counter.builder("etl.records").description("Records by outcome, counted at batch commit")
                .tags("source", source, "outcome", outcome).register(registry);
    }

    private Counter linesLost(String source) {
        return Counter.builder("etl.lines.lost")
                .description("Lines of files the database lost after acknowledging their batches; read again")
                .tag("source", source).register(registry);
    }

    private Counter runs(String source, String status) {
        return Counter.builder("etl.runs").description("Finished runs by status")
                .tags("source", source, "status", status).register(registry);
    }

    private Counter retries(String source) {
        return Counter.builder("etl.retries").description("Retries of transient failures")
                .tag("source", source).register(registry);
    }

    private Counter earlyLookups(String source, boolean reused) {
        return Counter.builder("etl.merge.early.lookups")
                .description("File batches looked up before their commit turn, by whether the merge could reuse the lookup")
                .tags("source", source, "reused", Boolean.toString(reused)).register(registry);
    }

    private Counter drifts(String source) {
        return Counter.builder("etl.schema.drift").description("Schema changes detected")
                .tag("source", source).register(registry);
    }

    private AtomicLong lastSuccess(String source) {
        return lastSuccessMillis.computeIfAbsent(source, s -> {
            AtomicLong millis = new AtomicLong();
            Gauge.builder("etl.last.success.timestamp", millis, m -> m.get() / 1000.0)
                    .description("When the source's last successful run finished (epoch seconds; 0: never)")
                    .baseUnit("seconds").tag("source", s).strongReference(true).register(registry);
            return millis;
        });
    }
}
