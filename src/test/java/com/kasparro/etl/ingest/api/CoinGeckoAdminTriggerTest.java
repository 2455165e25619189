package com.kasparro.etl.ingest.api;

import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** POST /runs/coingecko end to end: the real launcher, the real poll, WireMock as CoinGecko. */
class CoinGeckoAdminTriggerTest extends CoinGeckoTestSupport {

    @LocalServerPort
    int port;
    @Autowired
    ObjectMapper json;

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void withTheTokenAPollStartsAndTheFakeApiSeesIt() throws Exception {
        stub(json("[{\"id\":\"bitcoin\",\"symbol\":\"btc\",\"name\":\"Bitcoin\"}]"));
        HttpResponse<String> response = post("Bearer " + ADMIN_TOKEN);
        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode body = json.readTree(response.body());
        long runId = body.get("run_id").asLong();
        assertThat(response.headers().firstValue("Location")).hasValue("/runs/" + runId);

        await().atMost(Duration.ofSeconds(30)).until(() -> "success".equals(
                db.row("SELECT status FROM etl_runs WHERE id = ?", runId).get("status")));
        assertThat(db.row("SELECT trigger FROM etl_runs WHERE id = ?", runId)).containsEntry("trigger", "manual");
        wireMock.verify(1, getRequestedFor(urlPathEqualTo(PATH)));
        assertThat(db.count("SELECT count(*) FROM unified_records WHERE source = 'coingecko_api'")).isEqualTo(1);
        assertThat(logs.allText()).doesNotContain(ADMIN_TOKEN);
    }

    @Test
    void aSecondTriggerDuringARunningPollIsAConflict() throws Exception {
        stub(json("[{\"id\":\"bitcoin\",\"symbol\":\"btc\",\"name\":\"Bitcoin\"}]").withFixedDelay(1500));
        assertThat(post("Bearer " + ADMIN_TOKEN).statusCode()).isEqualTo(202);
        HttpResponse<String> second = post("Bearer " + ADMIN_TOKEN);
        assertThat(second.statusCode()).isEqualTo(409);
        assertThat(second.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/problem+json"));
        await().atMost(Duration.ofSeconds(30)).until(() -> db.count(
                "SELECT count(*) FROM etl_runs WHERE status = 'success'") == 1);
        wireMock.verify(1, getRequestedFor(urlPathEqualTo(PATH)));
    }

    @Test
    void withoutOrWithAWrongTokenItIsUnauthorizedAndNothingRuns() throws Exception {
        assertThat(post(null).statusCode()).isEqualTo(401);
        assertThat(post("Bearer wrong-" + ADMIN_TOKEN).statusCode()).isEqualTo(401);
        assertThat(db.count("SELECT count(*) FROM etl_runs")).isZero();
        wireMock.verify(0, getRequestedFor(urlPathEqualTo(PATH)));
    }

    private HttpResponse<String> post(String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/runs/coingecko"))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
