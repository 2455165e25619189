package com.kasparro.etl.ingest.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Transient failures are retried by Camel with the configured back-off (100 ms x2, max 1 s, 4 retries). */
class CoinGeckoRetryTest extends CoinGeckoTestSupport {

    static final String OK = "[{\"id\":\"bitcoin\",\"symbol\":\"btc\",\"name\":\"Bitcoin\"}]";

    /** Gaps between the requests WireMock received, in ms. */
    static List<Long> gaps() {
        List<ServeEvent> events = requests();
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < events.size(); i++) {
            gaps.add(events.get(i).getRequest().getLoggedDate().getTime()
                    - events.get(i - 1).getRequest().getLoggedDate().getTime());
        }
        return gaps;
    }

    @Test
    void a429WithRetryAfterIsHonoured() {
        stubSequence(aResponse().withStatus(429).withHeader("Retry-After", "1"), json(OK));

        Map<String, Object> run = awaitRun(launch());

        assertThat(run.get("status")).isEqualTo("success");
        assertThat(requests()).hasSize(2);
        assertThat(gaps().get(0)).as("waited for Retry-After").isGreaterThanOrEqualTo(950L);
        assertThat(retryLines()).containsExactly("Retrying (1/4) after 1.00s due to: 429 Too Many Requests");
    }

    @Test
    void aRetryAfterBeyondMaxDelayIsCapped() {
        stubSequence(aResponse().withStatus(429).withHeader("retry-after", "3600"), json(OK));

        assertThat(awaitRun(launch()).get("status")).isEqualTo("success");
        assertThat(retryLines()).containsExactly("Retrying (1/4) after 1.00s due to: 429 Too Many Requests");
        assertThat(gaps().get(0)).isBetween(950L, 2_500L);
    }

    @Test
    void a429WithoutRetryAfterBacksOffExponentiallyThenFails() {
        stub(aResponse().withStatus(429));

        Map<String, Object> run = awaitRun(launch());

        assertThat(run.get("status")).isEqualTo("failed");
        assertThat(run.get("error_message")).isEqualTo("HTTP 429 Too Many Requests after 4 retries");
        assertThat(requests()).hasSize(5);
        assertThat(retryLines()).containsExactly(
                "Retrying (1/4) after 0.10s due to: 429 Too Many Requests",
                "Retrying (2/4) after 0.20s due to: 429 Too Many Requests",
                "Retrying (3/4) after 0.40s due to: 429 Too Many Requests",
                "Retrying (4/4) after 0.80s due to: 429 Too Many Requests");
        List<Long> gaps = gaps();
        long[] expected = {100, 200, 400, 800};
        for (int i = 0; i < expected.length; i++) {
            assertThat(gaps.get(i)).as("gap %d of %s", i, gaps).isGreaterThanOrEqualTo(expected[i] - 20);
        }
        assertThat(gaps.get(3)).as("gaps grow: %s", gaps).isGreaterThan(gaps.get(0) + 400);
    }

    @Test
    void twoServiceUnavailableThenSuccess() {
        stubSequence(aResponse().withStatus(503), aResponse().withStatus(503), json(OK));
        double retriesBefore = counter("etl.retries", "reason", "http");

        Map<String, Object> run = awaitRun(launch());

        assertThat(run.get("status")).isEqualTo("success");
        assertThat(requests()).hasSize(3);
        assertThat(counter("etl.retries", "reason", "http") - retriesBefore).isEqualTo(2.0);
        assertThat(retryLines()).containsExactly(
                "Retrying (1/4) after 0.10s due to: 503 Service Unavailable",
                "Retrying (2/4) after 0.20s due to: 503 Service Unavailable");
        assertThat(db.count("SELECT count(*) FROM unified_records")).isEqualTo(1);
    }

    @Test
    void serverErrorsPastTheLimitFailTheRunAndTheNextPollStartsAfresh() {
        stub(aResponse().withStatus(500));

        Map<String, Object> failed = awaitRun(launch());

        assertThat(failed.get("status")).isEqualTo("failed");
        assertThat(failed.get("error_message")).isEqualTo("HTTP 500 Internal Server Error after 4 retries");
        assertThat(requests()).hasSize(5);
        assertThat(retryLines()).hasSize(4);
        assertThat(logs.messages()).contains("coingecko_api: poll failed: HTTP 500 Internal Server Error after 4 retries");

        wireMock.resetAll();
        logs.clear();
        stub(json(OK));
        Map<String, Object> next = awaitRun(launch());

        assertThat(next.get("status")).isEqualTo("success");
        assertThat(requests()).hasSize(1);
        assertThat(retryLines()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404})
    void otherClientErrorsAreNotRetried(int status) {
        stub(aResponse().withStatus(status));

        Map<String, Object> run = awaitRun(launch());

        assertThat(run.get("status")).isEqualTo("failed");
        assertThat((String) run.get("error_message")).startsWith("HTTP " + status + " ").doesNotContain("retr");
        assertThat(requests()).hasSize(1);
        assertThat(retryLines()).isEmpty();
    }

    @Test
    void aReadTimeOutIsRetried() {
        stubSequence(json(OK).withFixedDelay(2_600), json(OK));

        Map<String, Object> run = awaitRun(launch());

        assertThat(run.get("status")).isEqualTo("success");
        assertThat(retryLines()).singleElement().asString()
                .startsWith("Retrying (1/4) after 0.10s due to: SocketTimeoutException: Read timed out");
    }

    @Test
    void aRefusedConnectionIsRetriedThenFailsAndTheNextPollSucceedsOnceTheServerIsBack() {
        wireMock.stop();

        Map<String, Object> run = awaitRun(launch());

        assertThat(run.get("status")).isEqualTo("failed");
        assertThat((String) run.get("error_message")).contains("Connection refused").endsWith("after 4 retries");
        // The first attempt may meet the pooled keep-alive connection the stopped server closed.
        assertThat(retryLines()).hasSize(4).allSatisfy(line -> assertThat(line).matches(
                "Retrying \\(\\d/4\\) after \\d\\.\\d\\ds due to: "
                        + "(HttpHostConnectException: .*Connection refused.*|NoHttpResponseException: .*)"));
        assertThat(retryLines().get(3)).contains("HttpHostConnectException").contains("Connection refused");

        wireMock = startWireMock();
        stub(json(OK));
        assertThat(awaitRun(launch()).get("status")).isEqualTo("success");
    }

    @ParameterizedTest
    @ValueSource(strings = {"CONNECTION_RESET_BY_PEER", "EMPTY_RESPONSE"})
    void aDroppedConnectionIsRetried(String fault) {
        stubSequence(aResponse().withFault(Fault.valueOf(fault)), json(OK));

        Map<String, Object> run = awaitRun(launch());

        assertThat(run.get("status")).isEqualTo("success");
        assertThat(requests()).hasSize(2);
        assertThat(retryLines()).singleElement().asString().startsWith("Retrying (1/4) after 0.10s due to: ");
    }
}
