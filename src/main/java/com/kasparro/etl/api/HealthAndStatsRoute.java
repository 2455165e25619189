package com.kasparro.etl.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.kasparro.etl.store.StatsRepository;
import com.kasparro.etl.api.model.Health;
import com.kasparro.etl.api.model.Problem;
import com.kasparro.etl.api.model.RunsSummary;
import com.kasparro.etl.api.model.Stats;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.boot.actuate.health.HealthComponent;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.stereotype.Component;

/**
 * {@code GET /health} and {@code GET /stats}, REST DSL on platform-http (Spring MVC's server). The database
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
        rest().get("/health").routeId("rest-health").id("getHealth").produces(OperabilityRoutes.JSON)
                .description("Liveness of the service and its database: 200 ok, or 503 when the database is unreachable")
                .responseMessage().code(200).message("Service and database up").responseModel(Health.class)
                    .endResponseMessage()
                .responseMessage().code(503).message("Database unreachable").responseModel(Health.class)
                    .endResponseMessage()
                .to("direct:http-health");
        rest().get("/stats").routeId("rest-stats").id("getStats").produces(OperabilityRoutes.JSON)
                .description("Run counts, records per source (all sources, 0 when empty) and checkpoints")
                .responseMessage().code(200).message("The statistics").responseModel(Stats.class)
                    .endResponseMessage()
                .responseMessage().code(503).message("Statistics unavailable (database down)")
                    .responseModel(Problem.class).endResponseMessage()
                .to("direct:http-stats");

        from("direct:http-health")
                .routeId("http-health")
                .process(this::health).id("health-check");

        from("direct:http-stats")
                .routeId("http-stats")
                .onException(Exception.class).handled(true)
                    .process(Problems.responder(json, 503, "Statistics unavailable")).id("stats-problem")
                .end()
                .process(this::stats).id("stats-report");
    }

    private void health(Exchange exchange) throws Exception {
        HealthComponent db = health.healthForPath("db");
        boolean up = db != null && Status.UP.equals(db.getStatus());
        Health body = new Health(up ? "ok" : "error", up ? "ok" : "error");
        Problems.respond(exchange, up ? 200 : 503, "application/json", json.writeValueAsString(body));
    }

    private void stats(Exchange exchange) throws Exception {
        StatsRepository.Stats s = stats.stats();
        // runs, records and checkpoints: the original system's clients read these keys.
        Stats body = new Stats(s.runs().total(), s.runs().success(), s.runs().failed(),
                s.runs().running(), s.records(),
                new RunsSummary(s.runs().total(), s.runs().success(), s.runs().failed(),
                        s.runs().lastSuccessAt(), s.runs().lastFailureAt()),
                s.records(), s.checkpoints());
        Problems.respond(exchange, 200, "application/json", json.writeValueAsString(body));
    }
}
