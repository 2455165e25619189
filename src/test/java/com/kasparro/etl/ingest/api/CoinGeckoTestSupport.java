package com.kasparro.etl.ingest.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.awaitility.Awaitility.await;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.kasparro.etl.support.EtlIntegrationTest;
import com.kasparro.etl.support.LogCapture;
import com.kasparro.etl.support.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * One Spring context (one PostgreSQL) for the CoinGecko tests: WireMock as CoinGecko on a fixed
 * port, a schedule that never fires and no start-up poll, so that each test starts its polls
 * itself through the {@link PollLauncher}; fast retries (100 ms x2, at most 1 s, 4 retries), 2 s time-out.
 */
@EtlIntegrationTest
@TestPropertySource(properties = {
        "etl.coingecko.enabled=true",
        "etl.coingecko.schedule=0 0 0 1 1 ? 2099",
        "etl.coingecko.startup-delay=1h",
        "etl.coingecko.timeout=2s",
        "etl.coingecko.api-key=" + CoinGeckoTestSupport.API_KEY,
        "etl.retry.max-attempts=4",
        "etl.retry.initial-delay=100ms",
        "etl.retry.multiplier=2",
        "etl.retry.max-delay=1s",
        "etl.batch-size=1000",
        "etl.admin-token=" + CoinGeckoTestSupport.ADMIN_TOKEN})
abstract class CoinGeckoTestSupport {

    static final String API_KEY = "cg-test-key-7f3a9c";
    static final String ADMIN_TOKEN = "admin-test-token-51c2";
    static final String PATH = "/api/v3/coins/list";
    static final int PORT = freePort();
    static WireMockServer wireMock = startWireMock();

    @DynamicPropertySource
    static void coinGecko(DynamicPropertyRegistry registry) {
        registry.add("etl.coingecko.base-url", () -> "http://localhost:" + PORT + "/api/v3");
    }

    @Autowired
    PollLauncher launcher;
    @Autowired
    JdbcTemplate jdbcTemplate;
    @Autowired
    MeterRegistry meters;

    TestDatabase db;
    LogCapture logs;

    /** The value of one of the service's {@code etl.*} counters for coingecko_api. */
    double counter(String name, String... tags) {
        String[] all = new String[tags.length + 2];
        all[0] = "source";
        all[1] = "coingecko_api";
        System.arraycopy(tags, 0, all, 2, tags.length);
        return meters.counter(name, all).count();
    }

    @BeforeEach
    void resetWorld() {
        if (!wireMock.isRunning()) {
            wireMock = startWireMock();
        }
        wireMock.resetAll();
        db = new TestDatabase(jdbcTemplate);
        // A poll of the previous test may still be finishing: wait for the guard, then reset.
        await().atMost(Duration.ofSeconds(30)).until(() -> db.count(
                "SELECT count(*) FROM etl_runs WHERE status = 'running'") == 0);
        db.reset();
        logs = LogCapture.attach();
    }

    @AfterEach
    void detachLogs() {
        logs.close();
    }

    static WireMockServer startWireMock() {
        WireMockServer server = new WireMockServer(options().port(PORT));
        server.start();
        return server;
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] resource(String name) {
        try (InputStream in = CoinGeckoTestSupport.class.getResourceAsStream("/coingecko/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }

    static void stub(ResponseDefinitionBuilder response) {
        wireMock.stubFor(get(urlPathEqualTo(PATH)).willReturn(response));
    }

    /** The responses in order; the last one repeats. */
    static void stubSequence(ResponseDefinitionBuilder... responses) {
        String state = Scenario.STARTED;
        for (int i = 0; i < responses.length; i++) {
            String next = i == responses.length - 1 ? state : "step-" + (i + 1);
            wireMock.stubFor(get(urlPathEqualTo(PATH)).inScenario("sequence").whenScenarioStateIs(state)
                    .willReturn(responses[i]).willSetStateTo(next));
            state = next;
        }
    }

    /** Requests WireMock received, oldest first. */
    static List<ServeEvent> requests() {
        return wireMock.getAllServeEvents().stream()
                .sorted(Comparator.comparing(e -> e.getRequest().getLoggedDate())).toList();
    }

    /** Starts a poll as the admin trigger does (waiting for the previous one to release the guard). */
    long launch() {
        OptionalLong[] id = new OptionalLong[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> (id[0] = launcher.launch("coingecko_api", "manual")).isPresent());
        return id[0].getAsLong();
    }

    /** The run once it is over. */
    Map<String, Object> awaitRun(long runId) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> !"running".equals(run(runId).get("status")));
        return run(runId);
    }

    Map<String, Object> run(long runId) {
        return db.row("SELECT * FROM etl_runs WHERE id = ?", runId);
    }

    /** The poll's closing INFO line has been logged (it comes right after the run row is closed). */
    String awaitSummary() {
        await().atMost(Duration.ofSeconds(10)).until(() -> !logs.messagesStartingWith("coingecko_api: ").stream()
                .filter(m -> m.contains(" items, ")).toList().isEmpty());
        return logs.messagesStartingWith("coingecko_api: ").stream().filter(m -> m.contains(" items, "))
                .findFirst().orElseThrow();
    }

    List<String> retryLines() {
        return logs.messagesStartingWith("Retrying (");
    }
}
