package com.kasparro.etl.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.kasparro.etl.store.StatsRepository;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.boot.actuate.health.HealthComponent;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

/**
 * {@code GET /health} and {@code GET /stats} on platform-http (Spring MVC's server). The database
 * check is actuator's own {@code db} health contributor, so /health and /actuator/health agree.
 */
@Component
public class HealthAndStatsRoute extends RouteBuilder {

    private final HealthEndpoint health;
    private final StatsRepository stats;
    private final ObjectMapper json;

    public HealthAndStatsRoute(HealthEndpoint health, StatsRepository stats, ObjectMapper json) {
        this.health = health;
        this.stats = stats;
        this.json = json;
    }

    @Override
    public void configure() {
        from("platform-http:/health?httpMethodRestrict=GET")
                .routeId("http-health")
                .process(this::health).id("health-check");

        from("platform-http:/stats?httpMethodRestrict=GET")
                .routeId("http-stats")
                .onException(Exception.class).handled(true)
                    .process(Problems.responder(json, 503, "Statistics unavailable")).id("stats-problem")
                .end()
                .process(this::stats).id("stats-report");
    }

    private void health(Exchange exchange) throws Exception {
        HealthComponent db = health.healthForPath("db");
        boolean up = db != null && Status.UP.equals(db.getStatus());
        Map<String, String> body = new LinkedHashMap<>();
        body.put("status", up ? "ok" : "error");
        body.put("database", up ? "ok" : "error");
        Problems.respond(exchange, up ? 200 : 503, "application/json", json.writeValueAsString(body));
    }

    private void stats(Exchange exchange) throws Exception {
        StatsRepository.Stats s = stats.stats();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("total_runs", s.runs().total());
        body.put("successful_runs", s.runs().success());
        body.put("failed_runs", s.runs().failed());
        body.put("running_runs", s.runs().running());
        body.put("records_by_source", s.records());
        // The original system's clients read these keys.
        Map<String, Object> runs = new LinkedHashMap<>();
        runs.put("total", s.runs().total());
        runs.put("success", s.runs().success());
        runs.put("failed", s.runs().failed());
        runs.put("last_success_at", s.runs().lastSuccessAt());
        runs.put("last_failure_at", s.runs().lastFailureAt());
        body.put("runs", runs);
        body.put("records", s.records());
        body.put("checkpoints", s.checkpoints());
        Problems.respond(exchange, 200, "application/json", json.writeValueAsString(body));
    }
}
