package com.kasparro.etl.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.kasparro.etl.api.model.Health;
import com.kasparro.etl.api.model.Problem;
import com.kasparro.etl.api.model.RunsSummary;
import com.kasparro.etl.api.model.Stats;
import com.kasparro.etl.source.SourceRegistry;
import com.kasparro.etl.store.budget.BudgetLeft;
import com.kasparro.etl.store.budget.CallBudget;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.boot.actuate.health.HealthComponent;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

/**
 * {@code GET /health} and {@code GET /stats}, REST DSL on platform-http (Spring MVC's server). The database
 * check is actuator's own {@code db} health contributor, so /health and /actuator/health agree; /stats
 * reads {@code sql/stats-*.sql} through camel-sql. Both marshal with camel-jackson ({@link ApiJson}).
 */
@Component
public class HealthAndStatsRoute extends RouteBuilder {

    private static final String SQL = "sql:classpath:sql/";
    private static final String RUNS = "runs";
    private static final String RECORDS = "records";
    private static final String CHECKPOINTS = "checkpoints";
    private static final String BUDGET = "budget";

    private final HealthEndpoint health;
    private final ObjectMapper json;
    private final List<String> sources;
    private final CallBudget budget;

    public HealthAndStatsRoute(HealthEndpoint health, ObjectMapper json, SourceRegistry registry, CallBudget budget) {
        this.health = health;
        this.json = json;
        this.sources = registry.names();
        this.budget = budget;
    }

    @Override
    public void configure() {
        rest().get("/health").routeId("rest-health").id("getHealth").produces(OperabilityRoutes.JSON)
                .description("Liveness of the service and its database: 200 ok, or 503 when the database is unreachable")
                .responseMessage().code(200).message("Service and database up").responseModel(Health.class)
                    .endResponseMessage()
                .responseMessage().code(503).message("Database unreachable").responseModel(Health.class)
                    .endResponseMessage()
                .to("direct:http-health");
        rest().get("/stats").routeId("rest-stats").id("getStats").produces(OperabilityRoutes.JSON)
                .description("Run counts, records per source (all sources, 0 when empty), checkpoints and the "
                        + "CoinGecko call budget left (month_left null without a monthly cap)")
                .responseMessage().code(200).message("The statistics").responseModel(Stats.class)
                    .endResponseMessage()
                .responseMessage().code(503).message("Statistics unavailable (database down)")
                    .responseModel(Problem.class).endResponseMessage()
                .to("direct:http-stats");

        // Actuator's db contributor rather than a sql: query: /health and /actuator/health agree, and an
        // outage is an answer (503), not an exception.
        from("direct:http-health")
                .routeId("http-health")
                .process(this::health).id("health-check")
                .marshal().custom(ApiJson.FORMAT).id("health-json");

        // Record counts come from source_stats, kept exact by the merge in the same transactions as
        // the records, so the answer never scans unified_records.
        from("direct:http-stats")
                .routeId("http-stats")
                .onException(Exception.class).handled(true)
                    .process(Problems.responder(json, 503, "Statistics unavailable")).id("stats-problem")
                .end()
                .to(SQL + "stats-runs.sql?outputType=SelectOne&outputClass=" + RunCounts.class.getName()
                        + "&rowMapperFactory=#" + ViewRows.BEAN + "&outputHeader=" + RUNS).id("stats-runs")
                .to(SQL + "stats-records.sql?outputType=SelectList&outputHeader=" + RECORDS).id("stats-records")
                .to(SQL + "stats-checkpoints.sql?outputType=SelectList&outputHeader=" + CHECKPOINTS)
                    .id("stats-checkpoints")
                // The budget's own query (sql/call-budget-left.sql), shared with its metrics.
                .setHeader(BUDGET, method(budget, "left")).id("stats-coingecko-budget")
                .process(this::stats).id("stats-report")
                .removeHeaders("*").id("stats-headers")
                .marshal().custom(ApiJson.FORMAT).id("stats-json");
    }

    private void health(Exchange exchange) {
        HealthComponent db = health.healthForPath("db");
        boolean up = db != null && Status.UP.equals(db.getStatus());
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, up ? 200 : 503);
        message.setBody(new Health(up ? "ok" : "error", up ? "ok" : "error"));
    }

    private void stats(Exchange exchange) {
        Message message = exchange.getMessage();
        RunCounts runs = message.getHeader(RUNS, RunCounts.class);
        Map<String, Long> records = new LinkedHashMap<>();
        sources.forEach(s -> records.put(s, 0L));
        rows(message, RECORDS).forEach(
                r -> records.put((String) r.get("source"), ((Number) r.get("record_count")).longValue()));
        Map<String, String> checkpoints = new LinkedHashMap<>();
        sources.forEach(s -> checkpoints.put(s, null));
        rows(message, CHECKPOINTS).forEach(r -> checkpoints.put((String) r.get("source"), (String) r.get("marker")));
        // runs, records and checkpoints: the original system's clients read these keys.
        message.setBody(new Stats(runs.total(), runs.success(), runs.failed(), runs.running(), records,
                new RunsSummary(runs.total(), runs.success(), runs.failed(), runs.lastSuccessAt(),
                        runs.lastFailureAt()),
                records, checkpoints, message.getHeader(BUDGET, BudgetLeft.class)));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rows(Message message, String header) {
        // outputType=SelectList without an outputClass: one column map per row.
        return message.getHeader(header, List.class);
    }
}
