package com.kasparro.etl.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.kasparro.etl.api.model.Problem;
import com.kasparro.etl.api.model.TriggerAccepted;
import com.kasparro.etl.config.EtlProperties;
import com.kasparro.etl.ingest.api.PollLauncher;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.OptionalLong;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.RestParamType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * {@code POST /sources/{name}/poll}: starts a poll of a json-api source now, for an operator
 * holding {@code etl.admin-token}; {@code POST /runs/coingecko} is the same for the
 * {@value #COINGECKO} source, as the original system's clients know it. Without a token
 * configured both answer 404, as if absent. With the source disabled they answer 503: the request
 * was fine, this instance just cannot serve it.
 *
 * <p>The token is compared in constant time (SHA-256 of both sides, then
 * {@link MessageDigest#isEqual}, so neither content nor length leaks) and is never logged.
 */
@Component
public class AdminTriggerRoute extends RouteBuilder {

    private static final Logger log = LoggerFactory.getLogger(AdminTriggerRoute.class);
    private static final String BEARER = "Bearer ";
    /** The source behind the original system's {@code POST /runs/coingecko}. */
    static final String COINGECKO = "coingecko_api";

    private final EtlProperties properties;
    private final PollLauncher launcher;
    private final ObjectMapper json;

    public AdminTriggerRoute(EtlProperties properties, PollLauncher launcher, ObjectMapper json) {
        this.properties = properties;
        this.launcher = launcher;
        this.json = json;
    }

    @Override
    public void configure() {
        onException(Exception.class).handled(true)
                .process(this::unexpected).id("trigger-unexpected");

        adminPoll(rest().post("/runs/coingecko").routeId("rest-trigger-coingecko").id("triggerCoinGeckoPoll")
                .description("Starts a CoinGecko poll now (admin). Needs Authorization: Bearer <etl.admin-token>; "
                        + "answers 404 while no token is configured"),
                "No admin token configured: the endpoint is off", "CoinGecko polling is disabled on this instance")
                .to("direct:api-trigger-coingecko");

        adminPoll(rest().post("/sources/{name}/poll").routeId("rest-trigger-poll").id("triggerSourcePoll")
                .description("Starts a poll of a json-api source now (admin). Needs Authorization: Bearer "
                        + "<etl.admin-token>; answers 404 while no token is configured")
                .param().name("name").type(RestParamType.path).dataType("string").required(true)
                    .description("a json-api source of GET /sources").endParam(),
                "No admin token configured, or no such json-api source", "The source is disabled on this instance")
                .to("direct:api-trigger-poll");

        from("direct:api-trigger-coingecko").routeId("api-trigger-coingecko")
                .process(exchange -> trigger(exchange, COINGECKO)).id("trigger-coingecko-poll");
        from("direct:api-trigger-poll").routeId("api-trigger-poll")
                .process(exchange -> trigger(exchange, exchange.getIn().getHeader("name", String.class)))
                    .id("trigger-source-poll");
    }

    /** What every poll trigger declares: the token header and its answers, for the OpenAPI document. */
    private static RestDefinition adminPoll(RestDefinition rest, String notFound, String disabled) {
        return rest.produces(OperabilityRoutes.JSON)
                .param().name("Authorization").type(RestParamType.header).dataType("string").required(true)
                    .description("Bearer <etl.admin-token>").endParam()
                .responseMessage().code(202).message("The poll's run exists and is running")
                    .header("Location").dataType("string").description("/runs/{run_id}").endHeader()
                    .responseModel(TriggerAccepted.class).endResponseMessage()
                .responseMessage().code(401).message("Missing or wrong token").responseModel(Problem.class)
                    .endResponseMessage()
                .responseMessage().code(404).message(notFound).responseModel(Problem.class).endResponseMessage()
                .responseMessage().code(409).message("A poll of the source is already running")
                    .responseModel(Problem.class).endResponseMessage()
                .responseMessage().code(503).message(disabled).responseModel(Problem.class).endResponseMessage();
    }

    /**
     * The admin token check of every admin endpoint: false (and the problem answered) unless a
     * token is configured and the request carries it.
     */
    boolean admitted(Exchange exchange) throws Exception {
        if (!properties.adminTokenSet()) {
            Problems.problem(exchange, json, 404, "Not Found", null);
            return false;
        }
        String authorization = exchange.getIn().getHeader("Authorization", String.class);
        if (!authorized(authorization, properties.adminToken())) {
            log.warn("{} {} refused: {}", exchange.getIn().getHeader(Exchange.HTTP_METHOD),
                    exchange.getIn().getHeader(Exchange.HTTP_URI), authorization == null ? "no Authorization header"
                    : "wrong token");
            Problems.problem(exchange, json, 401, "Unauthorized",
                    "Authorization: Bearer <etl.admin-token> is required");
            exchange.getMessage().setHeader("WWW-Authenticate", "Bearer");
            return false;
        }
        return true;
    }

    private void trigger(Exchange exchange, String source) throws Exception {
        if (!admitted(exchange)) {
            return;
        }
        if (!launcher.canPoll(source)) {
            if (launcher.isDisabled(source)) {
                Problems.problem(exchange, json, 503, "Service Unavailable", source + " polling is disabled on this "
                        + "instance" + (COINGECKO.equals(source) ? " (etl.coingecko.enabled=false)"
                        : " (etl.sources." + source + ".enabled=false)"));
            } else {
                Problems.problem(exchange, json, 404, "Not Found", "no json-api source named " + source);
            }
            return;
        }
        OptionalLong runId = launcher.launch(source, "manual");
        if (runId.isEmpty()) {
            Problems.problem(exchange, json, 409, "Conflict", "a " + source + " poll is already running");
            return;
        }
        log.info("{}: poll started as run {} (admin request)", source, runId.getAsLong());
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
        log.error("{} {} failed: {}", exchange.getIn().getHeader(Exchange.HTTP_METHOD),
                exchange.getIn().getHeader(Exchange.HTTP_URI), error == null ? "unknown" : error.toString());
        Problems.problem(exchange, json, 500, "Internal Server Error",
                error == null ? null : error.getClass().getSimpleName());
    }
}
