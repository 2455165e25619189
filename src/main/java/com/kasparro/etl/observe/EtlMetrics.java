package com.kasparro.etl.observe;

import com.kasparro.etl.source.SourceRegistry;
import com.kasparro.etl.source.SourceSpec;
import com.kasparro.etl.store.budget.BudgetLeft;
import com.kasparro.etl.store.budget.CallBudget;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;
import org.springframework.stereotype.Component;

/**
 * The service's own metrics, labelled by source. In Prometheus:
 * {@code etl_records_total{source,outcome}}, {@code etl_runs_total{source,status}},
 * {@code etl_run_duration_seconds{source}}, {@code etl_retries_total{source,reason}},
 * {@code etl_schema_drift_total{source}}, {@code etl_last_success_timestamp_seconds{source}}, and
 * the CoinGecko call budget left, {@code etl_coingecko_budget_minute_left} and
 * {@code etl_coingecko_budget_month_left} (NaN without a monthly cap, or with the database down).
 *
 * <p>Every series of the known sources exists from the start at 0, so that rate() and absence
 * alerts work before the first run.
 */
@Component
public class EtlMetrics {

    static final List<String> OUTCOMES = List.of("inserted", "updated", "skipped", "rejected");
    /** Retry reasons: the database was unreachable, or an HTTP request failed transiently. */
    public static final String DATABASE = "database";
    public static final String HTTP = "http";

    private final MeterRegistry registry;
    private final Map<String, AtomicLong> lastSuccessMillis = new ConcurrentHashMap<>();

    public EtlMetrics(MeterRegistry registry, SourceRegistry sources, CallBudget budget) {
        this.registry = registry;
        budgetGauge("etl.coingecko.budget.minute.left", "CoinGecko requests left in the sliding minute",
                budget, left -> left.minuteLeft());
        budgetGauge("etl.coingecko.budget.month.left", "CoinGecko requests left this month (UTC); NaN: no cap",
                budget, left -> left.monthLeft() == null ? Double.NaN : left.monthLeft());
        for (String source : sources.runSources()) {
            runs(source, "success");
            runs(source, "failed");
            lastSuccess(source);
        }
        for (SourceSpec source : sources.all()) {
            OUTCOMES.forEach(outcome -> records(source.source(), outcome));
            retries(source.source(), DATABASE);
            if (source.kind() == SourceSpec.Kind.JSON_API) {
                retries(source.source(), HTTP);
                drifts(source.source());
            }
        }
    }

    /** A batch's committed counts (called after its transaction committed). */
    public void batchCommitted(String source, long inserted, long updated, long skipped, long rejected) {
        records(source, "inserted").increment(inserted);
        records(source, "updated").increment(updated);
        records(source, "skipped").increment(skipped);
        records(source, "rejected").increment(rejected);
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

    /** One retry of a transient failure, by {@code reason} ({@link #DATABASE} or {@link #HTTP}). */
    public void retry(String source, String reason) {
        retries(source, reason).increment();
    }

    /** A schema change detected for {@code source}. */
    public void drift(String source) {
        drifts(source).increment();
    }

    /** The last success known from the database, so that the gauge survives a restart. */
    public void lastSuccessAt(String source, long epochMillis) {
        lastSuccess(source).accumulateAndGet(epochMillis, Math::max);
    }

    /** Read from the database at each scrape: the budget is shared by every replica. */
    private void budgetGauge(String name, String description, CallBudget budget, ToDoubleFunction<BudgetLeft> value) {
        Gauge.builder(name, budget, b -> {
            try {
                return value.applyAsDouble(b.left());
            } catch (RuntimeException e) {
                return Double.NaN; // the database is down: /health says so
            }
        }).description(description).strongReference(true).register(registry);
    }

    private Counter records(String source, String outcome) {
        return Counter.builder("etl.records").description("Records by outcome, counted at batch commit")
                .tags("source", source, "outcome", outcome).register(registry);
    }

    private Counter runs(String source, String status) {
        return Counter.builder("etl.runs").description("Finished runs by status")
                .tags("source", source, "status", status).register(registry);
    }

    private Counter retries(String source, String reason) {
        return Counter.builder("etl.retries").description("Retries of transient failures, by reason")
                .tags("source", source, "reason", reason).register(registry);
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
