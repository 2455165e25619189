package com.kasparro.etl.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.kasparro.etl.store.PriceHistory;
import com.kasparro.etl.store.PricePoint;
import com.kasparro.etl.support.EtlIntegrationTest;
import com.kasparro.etl.support.ServiceTestSupport;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * GET /prices/{coin_id}: a coin's history in one currency, oldest first, in [from, to), capped by
 * limit; the CoinGecko call budget in /stats and the metrics.
 */
@EtlIntegrationTest
class PricesApiTest extends ServiceTestSupport {

    static final OffsetDateTime T0 = OffsetDateTime.parse("2026-12-01T00:00:00Z");

    @Autowired
    PriceHistory history;
    ApiClient api;

    @BeforeEach
    void setUp() {
        api = new ApiClient(port, json);
    }

    /** Bitcoin every 10 minutes in usd (written newest first), once in eur; ethereum once. */
    void storeHistory(int points) {
        List<PricePoint> written = new ArrayList<>();
        for (int i = points - 1; i >= 0; i--) {
            written.add(new PricePoint("bitcoin", "usd", BigDecimal.valueOf(90_000 + i), BigDecimal.valueOf(1_800_000_000_000L + i),
                    i == 0 ? null : BigDecimal.valueOf(40_000_000_000L), T0.plusMinutes(10L * i)));
        }
        written.add(new PricePoint("bitcoin", "eur", new BigDecimal("85000.5"), null, null, T0));
        written.add(new PricePoint("ethereum", "usd", new BigDecimal("3500.25"), null, null, T0));
        history.record(1, written);
    }

    static List<String> times(JsonNode page) {
        return StreamSupport.stream(page.get("items").spliterator(), false)
                .map(item -> item.get("last_updated").asText()).toList();
    }

    @Test
    void aCoinsHistoryIsInTheConfiguredCurrencyOldestFirst() throws Exception {
        storeHistory(3);

        JsonNode page = api.ok("/prices/bitcoin");

        assertThat(page.get("coin_id").asText()).isEqualTo("bitcoin");
        assertThat(page.get("vs_currency").asText()).isEqualTo("usd");
        assertThat(times(page)).containsExactly("2026-12-01T00:00:00Z", "2026-12-01T00:10:00Z", "2026-12-01T00:20:00Z");
        JsonNode first = page.get("items").get(0);
        assertThat(first.get("price").decimalValue()).isEqualByComparingTo("90000");
        assertThat(first.get("market_cap").decimalValue()).isEqualByComparingTo("1800000000000");
        assertThat(first.has("total_volume")).isTrue();
        assertThat(first.get("total_volume").isNull()).isTrue();
        assertThat(page.get("next_from").isNull()).isTrue();
    }

    @Test
    void anotherCurrencyIsAskedForByName() throws Exception {
        storeHistory(3);

        JsonNode page = api.ok("/prices/bitcoin?vs_currency=EUR");

        assertThat(page.get("vs_currency").asText()).isEqualTo("eur");
        assertThat(page.get("items")).hasSize(1);
        assertThat(page.get("items").get(0).get("price").decimalValue()).isEqualByComparingTo("85000.5");
    }

    @Test
    void fromIsInclusiveAndToExclusive() throws Exception {
        storeHistory(6);

        JsonNode page = api.ok("/prices/bitcoin?from=2026-12-01T00:10:00Z&to=2026-12-01T00:40:00Z");
        assertThat(times(page)).containsExactly("2026-12-01T00:10:00Z", "2026-12-01T00:20:00Z", "2026-12-01T00:30:00Z");

        // An offset other than Z, its '+' sent unencoded (it arrives as a space).
        JsonNode offset = api.ok("/prices/bitcoin?from=2026-12-01T01:40:00+01:00");
        assertThat(times(offset)).containsExactly("2026-12-01T00:40:00Z", "2026-12-01T00:50:00Z");
    }

    @Test
    void theLimitCapsTheItemsAndNextFromAsksForTheRest() throws Exception {
        storeHistory(5);

        JsonNode page = api.ok("/prices/bitcoin?limit=2");
        assertThat(times(page)).containsExactly("2026-12-01T00:00:00Z", "2026-12-01T00:10:00Z");
        assertThat(page.get("next_from").asText()).isEqualTo("2026-12-01T00:10:00.000001Z");

        JsonNode next = api.ok("/prices/bitcoin?limit=2&from=" + page.get("next_from").asText());
        assertThat(times(next)).containsExactly("2026-12-01T00:20:00Z", "2026-12-01T00:30:00Z");
        JsonNode last = api.ok("/prices/bitcoin?limit=2&from=" + next.get("next_from").asText());
        assertThat(times(last)).containsExactly("2026-12-01T00:40:00Z");
        assertThat(last.get("next_from").isNull()).isTrue();
    }

    @Test
    void aKnownCoinWithNothingInTheRangeIsAnEmptyList() throws Exception {
        storeHistory(2);

        JsonNode page = api.ok("/prices/bitcoin?from=2027-01-01T00:00:00Z");

        assertThat(page.get("items")).isEmpty();
    }

    @Test
    void aCoinWithoutHistoryInTheCurrencyIsNotFound() throws Exception {
        storeHistory(2);

        assertThat(api.problem("/prices/dogecoin", 404).get("detail").asText())
                .isEqualTo("no price history of dogecoin in usd");
        assertThat(api.problem("/prices/ethereum?vs_currency=eur", 404).get("detail").asText())
                .isEqualTo("no price history of ethereum in eur");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "from=yesterday | from must be an ISO-8601 instant such as 2026-12-01T00:00:00Z",
            "to=2026-12-01 | to must be an ISO-8601 instant such as 2026-12-01T00:00:00Z",
            "from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z | from must be before to",
            "limit=0 | limit must be an integer from 1 to 10000",
            "limit=10001 | limit must be an integer from 1 to 10000",
            "vs_currency=us%20dollar | vs_currency must be a CoinGecko vs-currency such as usd",
            "limit=5&limit=6 | limit must be given at most once"})
    void aBadParameterIsA400NamingIt(String query, String detail) throws Exception {
        storeHistory(1);

        assertThat(api.problem("/prices/bitcoin?" + query, 400).get("detail").asText()).isEqualTo(detail);
    }

    @Test
    void statsAndMetricsShowTheCallBudgetLeft() throws Exception {
        jdbcTemplate.update("INSERT INTO call_budget_calls (budget, called_at) VALUES ('coingecko', clock_timestamp())");

        JsonNode budget = api.ok("/stats").get("coingecko_budget");

        assertThat(budget.get("minute_left").asLong()).isEqualTo(9);
        assertThat(budget.has("month_left")).isTrue();
        assertThat(budget.get("month_left").isNull()).as("no monthly cap by default").isTrue();
        String scrape = api.get("/actuator/prometheus").body();
        assertThat(ApiClient.sample(scrape, "etl_coingecko_budget_minute_left", Map.of())).isEqualTo(9.0);
        assertThat(scrape).contains("etl_coingecko_budget_month_left NaN");
    }
}
