package com.kasparro.etl.ingest.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.sql.Timestamp;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The call budget on the CoinGecko poll (10 a minute, 1000 a month in these tests): every request
 * is counted before it is made, retries and errors included, and in the window from its answer on;
 * a full minute makes the poll wait; a spent month and a key of the wrong plan fail the run at
 * once, without retries.
 */
class CoinGeckoCallBudgetTest extends CoinGeckoTestSupport {

    static final String OK = "[{\"id\":\"bitcoin\",\"symbol\":\"btc\",\"name\":\"Bitcoin\"}]";

    long monthCalls() {
        return db.count("SELECT COALESCE(sum(calls), 0) FROM call_budget_months WHERE budget = 'coingecko'");
    }

    @Test
    void everyAttemptIsCountedRetriesAndErrorsIncluded() {
        stubSequence(aResponse().withStatus(503), aResponse().withStatus(429), json(OK));

        assertThat(awaitRun(launch()).get("status")).isEqualTo("success");

        assertThat(requests()).hasSize(3);
        assertThat(monthCalls()).isEqualTo(3);
        assertThat(db.count("SELECT count(*) FROM call_budget_calls WHERE budget = 'coingecko'")).isEqualTo(3);
    }

    @Test
    void aRequestCountsInTheWindowFromItsAnswerFailedOrNot() {
        stubSequence(aResponse().withStatus(503).withFixedDelay(500), json(OK).withFixedDelay(500));

        assertThat(awaitRun(launch()).get("status")).isEqualTo("success");

        List<ServeEvent> received = requests();
        List<Timestamp> counted = jdbcTemplate.queryForList("SELECT called_at FROM call_budget_calls "
                + "WHERE budget = 'coingecko' ORDER BY called_at", Timestamp.class);
        assertThat(received).hasSize(2);
        assertThat(counted).hasSize(2);
        for (int i = 0; i < 2; i++) {
            long receivedAt = received.get(i).getRequest().getLoggedDate().getTime();
            // Its recording put it twice the 2 s time-out ahead; its answer, 500 ms after WireMock got it.
            assertThat(counted.get(i).getTime()).as("request %d counts from its answer", i)
                    .isBetween(receivedAt + 500, receivedAt + 2_500);
        }
    }

    @Test
    void aFullMinuteMakesThePollWaitUntilTheOldestRequestLeavesTheWindow() {
        // Ten requests 58 s ago (the window is 61 s): the poll's request may go in about 3 s.
        jdbcTemplate.update("INSERT INTO call_budget_calls (budget, called_at) "
                + "SELECT 'coingecko', clock_timestamp() - interval '58 seconds' FROM generate_series(1, ?)",
                CALLS_PER_MINUTE);
        stub(json(OK));
        long launched = System.currentTimeMillis();

        assertThat(awaitRun(launch()).get("status")).isEqualTo("success");

        long waited = requests().get(0).getRequest().getLoggedDate().getTime() - launched;
        assertThat(waited).as("the request waited for the window").isBetween(2_500L, 10_000L);
        assertThat(logs.messages()).anyMatch(m -> m.startsWith("CoinGecko minute budget spent (10 requests in 61 s)"));
        assertThat(db.count("SELECT count(*) FROM call_budget_calls WHERE budget = 'coingecko'"))
                .as("the old requests were pruned once they left the window").isEqualTo(1);
    }

    @Test
    void aSpentMonthFailsTheRunSayingSoWithoutARequest() {
        jdbcTemplate.update("INSERT INTO call_budget_months (budget, month, calls) "
                + "VALUES ('coingecko', CAST(date_trunc('month', now() AT TIME ZONE 'UTC') AS date), ?)", CALLS_PER_MONTH);
        stub(json(OK));
        YearMonth month = YearMonth.now(ZoneOffset.UTC);

        Map<String, Object> run = awaitRun(launch());

        assertThat(run.get("status")).isEqualTo("failed");
        assertThat(run.get("error_message")).isEqualTo("CoinGecko monthly call budget spent: 1000 of "
                + "etl.coingecko.calls-per-month=1000 used in " + month + "; polls resume on "
                + month.plusMonths(1).atDay(1) + "T00:00Z");
        assertThat(requests()).isEmpty();
        assertThat(retryLines()).isEmpty();
        assertThat(monthCalls()).isEqualTo(CALLS_PER_MONTH);
    }

    @Test
    void aDemoKeyOnTheProHostFailsTheRunNamingTheSettingsWithoutRetries() {
        stub(aResponse().withStatus(400).withHeader("Content-Type", "application/json").withBody(
                "{\"timestamp\":\"2026-12-04T10:00:00.000+00:00\",\"error_code\":10011,\"status\":{\"error_message\":"
                        + "\"If you are using Demo API key, please change your root URL from pro-api.coingecko.com "
                        + "to api.coingecko.com\"}}"));

        Map<String, Object> run = awaitRun(launch());

        assertThat(run.get("status")).isEqualTo("failed");
        assertThat(run.get("error_message")).isEqualTo("HTTP 400 Bad Request: CoinGecko error 10011: a Demo API key "
                + "on the pro host; set etl.coingecko.base-url to https://api.coingecko.com/api/v3, or "
                + "etl.coingecko.api-key to a Pro key");
        assertThat(requests()).hasSize(1);
        assertThat(retryLines()).isEmpty();
        assertThat(monthCalls()).isEqualTo(1);
    }

    @Test
    void aProKeyOnThePublicHostFailsTheRunNamingTheSettings() {
        stub(aResponse().withStatus(401).withHeader("Content-Type", "application/json").withBody(
                "{\"status\":{\"error_code\":10010,\"error_message\":\"If you are using Pro API key, please change "
                        + "your root URL from api.coingecko.com to pro-api.coingecko.com\"}}"));

        Map<String, Object> run = awaitRun(launch());

        assertThat(run.get("status")).isEqualTo("failed");
        assertThat((String) run.get("error_message")).startsWith("HTTP 401 Unauthorized: CoinGecko error 10010: ")
                .contains("etl.coingecko.base-url to https://pro-api.coingecko.com/api/v3");
        assertThat(requests()).hasSize(1);
    }
}
