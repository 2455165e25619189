package com.kasparro.etl.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.kasparro.etl.api.model.Problem;
import com.kasparro.etl.api.model.TriggerAccepted;
import com.kasparro.etl.config.EtlProperties;
import com.kasparro.etl.ingest.coingecko.PollLauncher;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.OptionalLong;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestParamType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * {@code POST /runs/coingecko}: starts a CoinGecko poll now, for an operator holding
 * {@code etl.admin-token}. Without a token configured the endpoint answers 404, as if absent.
 * With CoinGecko polling disabled (no {@link PollLauncher}) it answers 503: the request was
 * fine, this instance just cannot serve it.
 *
 * <p>The token is compared in constant time (SHA-256 of both sides, then
 * {@link MessageDigest#isEqual}, so neither content nor length leaks) and is never logged.
 */
@Component
public class AdminTriggerRoute extends RouteBuilder {

    private static final Logger log = LoggerFactory.getLogger(AdminTriggerRoute.class);
    private static final String BEARER = "Bearer ";

    private final EtlProperties properties;
    private final ObjectProvider<PollLauncher> launcher;
    private final ObjectMapper json;

    public AdminTriggerRoute(EtlProperties properties, ObjectProvider<PollLauncher> launcher, ObjectMapper json) {
        this.properties = properties;
        this.launcher = launcher;
        this.json = json;
    }

    @Override
    public void configure() {
        onException(Exception.class).handled(true)
                .process(this::unexpected).id("trigger-unexpected");

        rest().post("/runs/coingecko").routeId("rest-trigger-coingecko").id("triggerCoinGeckoPoll").produces(OperabilityRoutes.JSON)
                .description("Starts a CoinGecko poll now (admin). Needs Authorization: Bearer <etl.admin-token>; "
                        + "answers 404 while no token is configured")
                .param().name("Authorization").type(RestParamType.header).dataType("string").required(true)
                    .description("Bearer <etl.admin-token>").endParam()
                .responseMessage().code(202).message("The poll's run exists and is running")
                    .header("Location").dataType("string").description("/runs/{run_id}").endHeader()
                    .responseModel(TriggerAccepted.class).endResponseMessage()
                .responseMessage().code(401).message("Missing or wrong token").responseModel(Problem.class)
                    .endResponseMessage()
                .responseMessage().code(404).message("No admin token configured: the endpoint is off")
                    .responseModel(Problem.class).endResponseMessage()
                .responseMessage().code(409).message("A poll is already running").responseModel(Problem.class)
                    .endResponseMessage()
                .responseMessage().code(503).message("CoinGecko polling is disabled on this instance")
                    .responseModel(Problem.class).endResponseMessage()
                .to("direct:api-trigger-coingecko");

        from("direct:api-trigger-coingecko").routeId("api-trigger-coingecko")
                .process(this::trigger).id("trigger-coingecko-poll");
    }

    private void trigger(Exchange exchange) throws Exception {
        if (!properties.adminTokenSet()) {
            Problems.problem(exchange, json, 404, "Not Found", null);
            return;
        }
        String authorization = exchange.getIn().getHeader("Authorization", String.class);
        if (!authorized(authorization, properties.adminToken())) {
            log.warn("POST /runs/coingecko refused: {}", authorization == null ? "no Authorization header"
                    : "wrong token");
            Problems.problem(exchange, json, 401, "Unauthorized",
                    "Authorization: Bearer <etl.admin-token> is required");
            exchange.getMessage().setHeader("WWW-Authenticate", "Bearer");
            return;
        }
        PollLauncher poll = launcher.getIfAvailable();
        if (poll == null) {
            Problems.problem(exchange, json, 503, "Service Unavailable",
                    "CoinGecko polling is disabled on this instance (etl.coingecko.enabled=false)");
            return;
        }
        OptionalLong runId = poll.launch("manual");
        if (runId.isEmpty()) {
            Problems.problem(exchange, json, 409, "Conflict", "a CoinGecko poll is already running");
            return;
        }
        log.info("POST /runs/coingecko: poll started as run {}", runId.getAsLong());
        Problems.respond(exchange, 202, OperabilityRoutes.JSON,
                json.writeValueAsString(new TriggerAccepted(runId.getAsLong(), "running")));
        exchange.getMessage().setHeader("Location", "/runs/" + runId.getAsLong());
    }

    /** Constant time whatever the token given: both sides are hashed to equal lengths first. */
    static boolean authorized(String authorization, String token) {
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        byte[] given = sha256(authorization.substring(BEARER.length()).trim());
        byte[] expected = sha256(token);
        return MessageDigest.isEqual(given, expected);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void unexpected(Exchange exchange) throws Exception {
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        log.error("POST /runs/coingecko failed: {}", error == null ? "unknown" : error.toString());
        Problems.problem(exchange, json, 500, "Internal Server Error",
                error == null ? null : error.getClass().getSimpleName());
    }
}
