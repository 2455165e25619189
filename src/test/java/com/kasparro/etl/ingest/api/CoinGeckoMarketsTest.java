package com.kasparro.etl.ingest.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.kasparro.etl.support.EtlIntegrationTest;
import com.kasparro.etl.support.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * {@code coingecko_markets}, the built-in json-api entry with paging and a price history: pages
 * of 250 coins by market cap until a short page, prices as values in the vs-currency, a coin
 * without a price rejected, one {@code price_snapshots} row per coin and {@code last_updated}.
 */
@EtlIntegrationTest
@TestPropertySource(properties = {
        "etl.coingecko.enabled=true",
        "etl.coingecko.schedule=0 0 0 1 1 ? 2099",
        "etl.coingecko.startup-delay=1h",
        "etl.coingecko.timeout=2s",
        "etl.coingecko.markets.enabled=true",
        "etl.coingecko.markets.schedule=0 0 0 1 1 ? 2099",
        "etl.coingecko.markets.pages=4",
        "etl.coingecko.markets.vs-currency=eur",
        "etl.retry.initial-delay=100ms",
        "etl.retry.max-delay=2s",
        "etl.coingecko.calls-per-minute=100"})
class CoinGeckoMarketsTest {

    static final String PATH = "/api/v3/coins/markets";
    static final WireMockServer API = new WireMockServer(options().dynamicPort());

    static {
        API.start();
    }

    @DynamicPropertySource
    static void coinGecko(DynamicPropertyRegistry registry) {
        registry.add("etl.coingecko.base-url", () -> "http://localhost:" + API.port() + "/api/v3");
    }

    @AfterAll
    static void stopApi() {
        API.stop();
    }

    @Autowired
    PollLauncher launcher;
    @Autowired
    JdbcTemplate jdbcTemplate;

    TestDatabase db;

    @BeforeEach
    void reset() {
        API.resetAll();
        db = new TestDatabase(jdbcTemplate);
        db.reset();
    }

    /** Coin n of a page: ids by rank, a price, a market cap, one update time for all. */
    static String coin(int n, String price, String lastUpdated) {
        return "{\"id\":\"coin-" + n + "\",\"symbol\":\"c" + n + "\",\"name\":\"Coin " + n + "\",\"image\":\"x\","
                + "\"current_price\":" + price + ",\"market_cap\":" + (1_000_000L - n) + ",\"market_cap_rank\":" + n
                + ",\"total_volume\":" + (5000 + n) + ",\"roi\":null,\"last_updated\":\"" + lastUpdated + "\"}";
    }

    static String page(int from, int count, IntFunction<String> coin) {
        return IntStream.range(from, from + count).mapToObj(coin).collect(Collectors.joining(",", "[", "]"));
    }

    static void stubPage(int page, String body) {
        API.stubFor(get(urlPathEqualTo(PATH)).withQueryParam("page", equalTo(Integer.toString(page)))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body)));
    }

    long poll() {
        OptionalLong[] id = new OptionalLong[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> (id[0] = launcher.launch("coingecko_markets", "manual")).isPresent());
        long runId = id[0].getAsLong();
        await().atMost(Duration.ofSeconds(60)).until(() -> !"running".equals(run(runId).get("status")));
        return runId;
    }

    Map<String, Object> run(long runId) {
        return db.row("SELECT * FROM etl_runs WHERE id = ?", runId);
    }

    @Test
    void pagesUntilAShortOneStorePricesAndAPriceHistory() {
        String t0 = "2026-12-04T10:00:00.000Z";
        // Coin 7 has no price (CoinGecko answers null for a coin it cannot price).
        stubPage(1, page(1, 250, n -> coin(n, n == 7 ? "null" : "1." + n, t0)));
        stubPage(2, page(251, 100, n -> coin(n, "0.000000" + n, t0)));

        long first = poll();

        assertThat(run(first)).containsEntry("status", "success").containsEntry("records_read", 350L)
                .containsEntry("records_inserted", 349L).containsEntry("records_rejected", 1L);
        API.verify(2, getRequestedFor(urlPathEqualTo(PATH)));
        API.verify(getRequestedFor(urlPathEqualTo(PATH)).withQueryParam("vs_currency", equalTo("eur"))
                .withQueryParam("order", equalTo("market_cap_desc")).withQueryParam("per_page", equalTo("250")));
        Map<String, Object> coin1 = db.row("SELECT name, category, value, currency, event_timestamp "
                + "FROM unified_records WHERE source = 'coingecko_markets' AND external_id = 'coin-1'");
        assertThat(coin1).containsEntry("name", "Coin 1").containsEntry("category", "c1").containsEntry("currency", "eur");
        assertThat(((java.math.BigDecimal) coin1.get("value"))).isEqualByComparingTo("1.1");
        assertThat(((java.sql.Timestamp) coin1.get("event_timestamp")).toInstant()).isEqualTo(Instant.parse(t0));
        assertThat(db.row("SELECT line_number, reason FROM rejected_rows WHERE run_id = ?", first))
                .containsEntry("line_number", 7L).containsEntry("reason", "current_price is missing or empty");
        assertThat(db.count("SELECT count(*) FROM price_snapshots WHERE vs_currency = 'eur'")).isEqualTo(349);
        assertThat(db.row("SELECT price, market_cap, total_volume FROM price_snapshots WHERE coin_id = 'coin-300'"))
                .satisfies(p -> assertThat((java.math.BigDecimal) p.get("price")).isEqualByComparingTo("0.000000300"))
                .satisfies(p -> assertThat((java.math.BigDecimal) p.get("market_cap")).isEqualByComparingTo("999700"));

        // A second poll: two coins changed price (and time), the rest are the same.
        String t1 = "2026-12-04T10:10:00.000Z";
        stubPage(1, page(1, 250, n -> n == 3 || n == 42 ? coin(n, "9." + n, t1) : coin(n, n == 7 ? "null" : "1." + n, t0)));

        long second = poll();

        assertThat(run(second)).containsEntry("status", "success").containsEntry("records_updated", 2L);
        assertThat(db.count("SELECT count(*) FROM price_snapshots")).isEqualTo(351);
        assertThat(db.count("SELECT count(*) FROM price_snapshots WHERE coin_id = 'coin-3'")).isEqualTo(2);
        assertThat((String) run(second).get("note")).contains("page 2: identical payload");
    }

    @Test
    void aTooManyRequestsOnPageTwoWaitsItsRetryAfterAndThePollGoesOn() {
        String t0 = "2026-12-04T11:00:00.000Z";
        stubPage(1, page(1, 250, n -> coin(n, "2." + n, t0)));
        API.stubFor(get(urlPathEqualTo(PATH)).withQueryParam("page", equalTo("2")).inScenario("429")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")).willSetStateTo("ok"));
        API.stubFor(get(urlPathEqualTo(PATH)).withQueryParam("page", equalTo("2")).inScenario("429")
                .whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("[]")));

        long runId = poll();

        assertThat(run(runId)).containsEntry("status", "success").containsEntry("records_inserted", 250L);
        API.verify(2, getRequestedFor(urlPathEqualTo(PATH)).withQueryParam("page", equalTo("2")));
        assertThat(db.count("SELECT count(*) FROM price_snapshots")).isEqualTo(250);
    }

    @Test
    void aPageThatKeepsFailingFailsTheRunKeepsThePagesBeforeItAndTheNextPollStartsAtPageOne() {
        String t0 = "2026-12-04T12:00:00.000Z";
        stubPage(1, page(1, 250, n -> coin(n, "3." + n, t0)));
        API.stubFor(get(urlPathEqualTo(PATH)).withQueryParam("page", equalTo("2"))
                .willReturn(aResponse().withStatus(503).withBody("upstream down")));

        long failed = poll();

        assertThat(run(failed)).containsEntry("status", "failed").containsEntry("records_inserted", 250L);
        assertThat((String) run(failed).get("error_message")).contains("503");
        API.verify(1 + 4, getRequestedFor(urlPathEqualTo(PATH)).withQueryParam("page", equalTo("2")));
        assertThat(db.count("SELECT count(*) FROM unified_records WHERE source = 'coingecko_markets'")).isEqualTo(250);
        assertThat(db.count("SELECT count(*) FROM price_snapshots")).isEqualTo(250);

        // The API is back: the next poll reads from page 1 again, and page 1's unchanged coins add no history.
        stubPage(2, page(251, 10, n -> coin(n, "4." + n, t0)));
        API.resetRequests();

        long next = poll();

        assertThat(run(next)).containsEntry("status", "success").containsEntry("records_inserted", 10L);
        API.verify(1, getRequestedFor(urlPathEqualTo(PATH)).withQueryParam("page", equalTo("1")));
        assertThat(db.count("SELECT count(*) FROM unified_records WHERE source = 'coingecko_markets'")).isEqualTo(260);
        assertThat(db.count("SELECT count(*) FROM price_snapshots")).isEqualTo(260);
    }
}
