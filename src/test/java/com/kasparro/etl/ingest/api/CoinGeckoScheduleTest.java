package com.kasparro.etl.ingest.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.kasparro.etl.support.EtlIntegrationTest;
import com.kasparro.etl.support.LogCapture;
import com.kasparro.etl.support.TestDatabase;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The real timers: a start-up poll and a Quartz cron firing every second, while each poll takes
 * 1.5 s (WireMock delay). Polls must never overlap, whoever started them. Own context (closed
 * after the class, so that its cron stops).
 */
@EtlIntegrationTest
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@TestPropertySource(properties = {
        "etl.coingecko.enabled=true",
        "etl.coingecko.schedule=* * * * * ?",
        "etl.coingecko.startup-delay=300ms",
        "etl.coingecko.timeout=5s"})
class CoinGeckoScheduleTest {

    static final long POLL_MILLIS = 1_500;
    static final WireMockServer wireMock = start();

    static WireMockServer start() {
        WireMockServer server = new WireMockServer(options().dynamicPort());
        server.start();
        server.stubFor(get(urlPathEqualTo("/api/v3/coins/list")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withFixedDelay((int) POLL_MILLIS)
                .withBody("[{\"id\":\"bitcoin\",\"symbol\":\"btc\",\"name\":\"Bitcoin\"}]")));
        return server;
    }

    @DynamicPropertySource
    static void coinGecko(DynamicPropertyRegistry registry) {
        registry.add("etl.coingecko.base-url", () -> wireMock.baseUrl() + "/api/v3");
    }

    @AfterAll
    static void stopWireMock() {
        wireMock.stop();
    }

    @Autowired
    JdbcTemplate jdbcTemplate;
    @Autowired
    PollLauncher launcher;
    @Autowired
    CamelContext camel;

    @Test
    void pollsNeverOverlapEvenWhenSlowerThanTheSchedule() throws Exception {
        TestDatabase db = new TestDatabase(jdbcTemplate);
        try (LogCapture logs = LogCapture.attach()) {
            // The first poll comes within 10 s of the start.
            await().atMost(Duration.ofSeconds(10)).until(() -> wireMock.getAllServeEvents().size() >= 1);
            // While a poll runs, a manual trigger is refused.
            int seen = wireMock.getAllServeEvents().size();
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                    .until(() -> wireMock.getAllServeEvents().size() > seen);
            assertThat(launcher.launch("coingecko_api", "manual")).isEmpty();
            await().atMost(Duration.ofSeconds(30)).until(() -> wireMock.getAllServeEvents().size() >= 4);

            camel.getRouteController().stopRoute("coingecko_api-schedule");
            await().atMost(Duration.ofSeconds(30)).until(() -> db.count(
                    "SELECT count(*) FROM etl_runs WHERE status = 'running'") == 0);

            List<ServeEvent> requests = wireMock.getAllServeEvents().stream()
                    .sorted(Comparator.comparing(e -> e.getRequest().getLoggedDate())).toList();
            for (int i = 1; i < requests.size(); i++) {
                long gap = requests.get(i).getRequest().getLoggedDate().getTime()
                        - requests.get(i - 1).getRequest().getLoggedDate().getTime();
                assertThat(gap).as("request %d started %d ms after the previous one", i, gap)
                        .isGreaterThanOrEqualTo(POLL_MILLIS - 20);
            }
            // Quartz's headers (fireTime, jobDetail, ...) never reach the HTTP request.
            assertThat(requests).allSatisfy(e -> assertThat(e.getRequest().getHeaders().keys())
                    .noneMatch(h -> h.equalsIgnoreCase("fireTime") || h.equalsIgnoreCase("jobDetail")
                            || h.equalsIgnoreCase("trigger") || h.toLowerCase().startsWith("camel")));
            List<Map<String, Object>> runs = db.rows(
                    "SELECT id, trigger, status, started_at, finished_at FROM etl_runs ORDER BY started_at");
            assertThat(runs).as("one run per request, none for skipped ticks").hasSize(requests.size());
            assertThat(runs).allSatisfy(r -> assertThat(r.get("status")).isEqualTo("success"));
            for (int i = 1; i < runs.size(); i++) {
                Timestamp previousEnd = (Timestamp) runs.get(i - 1).get("finished_at");
                Timestamp start = (Timestamp) runs.get(i).get("started_at");
                assertThat(start).as("run %s starts after run %s ended", runs.get(i).get("id"),
                        runs.get(i - 1).get("id")).isAfterOrEqualTo(previousEnd);
            }
            assertThat(runs).extracting(r -> r.get("trigger")).contains("schedule").doesNotContain("manual");
            assertThat(logs.messages()).contains("coingecko_api: a poll is already running; manual poll skipped");
            System.out.println("MEASURE schedule test: " + requests.size() + " polls, triggers "
                    + runs.stream().map(r -> r.get("trigger")).toList() + ", skipped lines "
                    + logs.messages().stream().filter(m -> m.contains("poll skipped")).toList());
        }
    }
}
