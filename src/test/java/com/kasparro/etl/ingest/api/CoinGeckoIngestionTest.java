package com.kasparro.etl.ingest.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.sql.Timestamp;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;

/** The payload path: every coin lands, the payload checkpoint, rejected elements, malformed bodies. */
class CoinGeckoIngestionTest extends CoinGeckoTestSupport {

    static final byte[] COINS = resource("coins_list.json");

    @Autowired
    ObjectMapper mapper;

    @Test
    void theRealListLandsCompletelyIncludingEmptySymbols() throws Exception {
        JsonNode list = mapper.readTree(COINS);
        assertThat(list.size()).isEqualTo(16_354);
        stub(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(COINS));

        long runId = launch();
        Map<String, Object> run = awaitRun(runId);

        assertThat(run.get("status")).isEqualTo("success");
        assertThat(run.get("trigger")).isEqualTo("manual");
        assertThat(run.get("records_read")).isEqualTo(16_354L);
        assertThat(run.get("records_inserted")).isEqualTo(16_354L);
        assertThat(run.get("records_rejected")).isEqualTo(0L);
        assertThat(db.count("SELECT count(*) FROM unified_records WHERE source = 'coingecko_api'")).isEqualTo(16_354);
        assertThat(db.count("SELECT record_count FROM source_stats WHERE source = 'coingecko_api'")).isEqualTo(16_354);
        assertThat(db.count("SELECT count(*) FROM unified_records WHERE category = ''")).isEqualTo(4);
        assertThat(db.count("SELECT count(*) FROM rejected_rows")).isZero();
        assertThat(db.count("SELECT count(*) FROM raw_csv_data")).isZero();
        Map<String, Object> btc = db.row("SELECT name, category, value, attributes::text AS attributes "
                + "FROM unified_records WHERE source = 'coingecko_api' AND external_id = 'bitcoin'");
        assertThat(btc.get("name")).isEqualTo("Bitcoin");
        assertThat(btc.get("category")).isEqualTo("btc");
        assertThat(btc.get("value")).isNull();
        assertThat(mapper.readTree((String) btc.get("attributes")))
                .isEqualTo(mapper.readTree("{\"id\":\"bitcoin\",\"symbol\":\"btc\",\"name\":\"Bitcoin\"}"));
        // The payload checkpoint: one raw_api_data row, the checkpoint marker is its hash.
        Map<String, Object> raw = db.row("SELECT payload_hash, item_count, run_id, json_array_length(payload) AS n "
                + "FROM raw_api_data");
        assertThat(raw.get("item_count")).isEqualTo(16_354);
        assertThat(raw.get("n")).isEqualTo(16_354);
        assertThat(raw.get("run_id")).isEqualTo(runId);
        assertThat(db.row("SELECT marker, completed FROM ingestion_checkpoints WHERE source = 'coingecko_api' "
                + "AND checkpoint_key = 'payload'")).containsEntry("marker", raw.get("payload_hash"))
                .containsEntry("completed", true);
        // One closing line, with the run's MDC.
        String summary = awaitSummary();
        assertThat(summary).matches("coingecko_api: 16354 items, 16354 inserted, 0 updated, 0 skipped, 0 rejected in \\d+\\.\\d\\ds");
        assertThat(logs.lines().stream().filter(l -> l.message().equals(summary)).findFirst().orElseThrow().mdc())
                .containsEntry("etl.source", "coingecko_api").containsEntry("etl.run_id", Long.toString(runId));
        Duration took = Duration.between(((Timestamp) run.get("started_at")).toInstant(),
                ((Timestamp) run.get("finished_at")).toInstant());
        System.out.println("MEASURE coingecko 16354 coins stored in " + took.toMillis() + " ms; " + summary);
        assertThat(took).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void theSamePayloadTwiceSkipsEverythingTheSecondTime() {
        stub(json("[{\"id\":\"bitcoin\",\"symbol\":\"btc\",\"name\":\"Bitcoin\"},"
                + "{\"id\":\"ethereum\",\"symbol\":\"eth\",\"name\":\"Ethereum\"}]"));
        long first = launch();
        assertThat(awaitRun(first).get("status")).isEqualTo("success");
        List<Map<String, Object>> before = db.rows("SELECT external_id, updated_at, last_run_id FROM unified_records ORDER BY 1");

        long second = launch();
        Map<String, Object> run = awaitRun(second);

        assertThat(run.get("status")).isEqualTo("success");
        assertThat(run.get("records_read")).isEqualTo(2L);
        assertThat(run.get("records_skipped")).isEqualTo(2L);
        assertThat(run.get("records_inserted")).isEqualTo(0L);
        assertThat(run.get("records_updated")).isEqualTo(0L);
        assertThat((String) run.get("note")).contains("identical payload");
        assertThat(db.count("SELECT count(*) FROM raw_api_data")).isEqualTo(1);
        assertThat(db.rows("SELECT external_id, updated_at, last_run_id FROM unified_records ORDER BY 1")).isEqualTo(before);
        await().until(() -> logs.messages().stream().anyMatch(m -> m.startsWith(
                "coingecko_api: 2 items, 0 inserted, 0 updated, 2 skipped, 0 rejected in ")));
    }

    @Test
    void aChangedPayloadIsIngestedAndStoredAsAnotherPayloadRow() {
        stub(json("[{\"id\":\"bitcoin\",\"symbol\":\"btc\",\"name\":\"Bitcoin\"}]"));
        assertThat(awaitRun(launch()).get("status")).isEqualTo("success");
        stub(json("[{\"id\":\"bitcoin\",\"symbol\":\"btc\",\"name\":\"Bitcoin Core\"},"
                + "{\"id\":\"ethereum\",\"symbol\":\"eth\",\"name\":\"Ethereum\"}]"));

        Map<String, Object> run = awaitRun(launch());

        assertThat(run).containsEntry("status", "success").containsEntry("records_inserted", 1L)
                .containsEntry("records_updated", 1L);
        assertThat(db.count("SELECT count(*) FROM raw_api_data")).isEqualTo(2);
        assertThat(db.row("SELECT name FROM unified_records WHERE external_id = 'bitcoin'").get("name"))
                .isEqualTo("Bitcoin Core");
    }

    @Test
    void elementsWithoutAnIdOrNotObjectsAreRejectedRowsAndMissingFieldsAreNull() {
        String noId = "{\"symbol\":\"x\",\"name\":\"No id\"}";
        stub(json("[{\"id\":\"bitcoin\",\"symbol\":\"btc\",\"name\":\"Bitcoin\"},\n " + noId + ",\n 42,\n"
                + " {\"id\":\"\",\"symbol\":\"e\",\"name\":\"Empty id\"},\n {\"id\":7,\"name\":\"Numeric id\"},\n"
                + " {\"id\":\"nameless\"},\n {\"id\":\"blank-symbol\",\"symbol\":\"\",\"name\":\"Blank\"}]"));

        Map<String, Object> run = awaitRun(launch());

        assertThat(run).containsEntry("status", "success").containsEntry("records_read", 7L)
                .containsEntry("records_inserted", 3L).containsEntry("records_rejected", 4L);
        List<Map<String, Object>> rejected = db.rows(
                "SELECT line_number, raw_text, reason, file_name FROM rejected_rows ORDER BY line_number");
        assertThat(rejected).extracting(r -> r.get("line_number")).containsExactly(2L, 3L, 4L, 5L);
        assertThat(rejected.get(0)).containsEntry("raw_text", noId).containsEntry("reason", "id is missing");
        assertThat(rejected.get(1)).containsEntry("raw_text", "42")
                .containsEntry("reason", "element is not a JSON object (got number)");
        assertThat(rejected.get(2).get("reason")).isEqualTo("id is empty");
        assertThat(rejected.get(3).get("reason")).isEqualTo("id is not a string (got number)");
        assertThat(db.row("SELECT name, category FROM unified_records WHERE external_id = 'nameless'"))
                .containsEntry("name", null).containsEntry("category", null);
        assertThat(db.row("SELECT name, category FROM unified_records WHERE external_id = 'blank-symbol'"))
                .containsEntry("name", "Blank").containsEntry("category", "");
    }

    @Test
    void aCoinRepeatedAcrossBatchesEndsWithItsLastOccurrence() {
        // Three batches of 1000: "twice" is in the first and the third.
        StringBuilder body = new StringBuilder("[");
        for (int i = 1; i <= 2_500; i++) {
            String id = i == 10 || i == 2_400 ? "twice" : "coin-" + i;
            String name = i == 10 ? "First" : i == 2_400 ? "Last" : "Coin " + i;
            body.append(i > 1 ? "," : "").append("{\"id\":\"").append(id).append("\",\"symbol\":\"c\",\"name\":\"")
                    .append(name).append("\"}");
        }
        stub(json(body.append("]").toString()));

        Map<String, Object> run = awaitRun(launch());

        assertThat(run).containsEntry("status", "success").containsEntry("records_read", 2_500L)
                .containsEntry("records_inserted", 2_499L).containsEntry("records_updated", 1L)
                .containsEntry("records_skipped", 0L);
        assertThat(db.row("SELECT name FROM unified_records WHERE external_id = 'twice'")).containsEntry("name", "Last");
        assertThat(db.count("SELECT record_count FROM source_stats WHERE source = 'coingecko_api'")).isEqualTo(2_499);
    }

    @Test
    void aCoinHoldingANulCharacterIsARejectedRowAndThePollGoesOn() {
        // JSON can carry \u0000; PostgreSQL text cannot: that coin alone is refused.
        StringBuilder body = new StringBuilder("[");
        for (int i = 1; i <= 2_500; i++) {
            String name = i == 1_500 ? "Bad\\u0000Coin" : "Coin " + i;
            body.append(i > 1 ? "," : "").append("{\"id\":\"coin-").append(i).append("\",\"symbol\":\"c\",\"name\":\"")
                    .append(name).append("\"}");
        }
        stub(json(body.append("]").toString()));

        Map<String, Object> run = awaitRun(launch());

        assertThat(run).containsEntry("status", "success").containsEntry("records_read", 2_500L)
                .containsEntry("records_inserted", 2_499L).containsEntry("records_rejected", 1L);
        assertThat(db.row("SELECT line_number, raw_text, reason FROM rejected_rows"))
                .containsEntry("line_number", 1_500L)
                .containsEntry("raw_text", "{\"id\":\"coin-1500\",\"symbol\":\"c\",\"name\":\"Bad\\u0000Coin\"}")
                .containsEntry("reason", "NUL character in field name");
        assertThat(requests()).as("not retried").hasSize(1);
    }

    @Test
    void thePayloadIsStoredExactlyAsReceived() {
        // Key order, spacing and a number's trailing zero: what jsonb would have rewritten.
        String body = "[ {\"name\": \"Bitcoin\", \"id\": \"bitcoin\", \"symbol\": \"btc\", \"rank\": 1.50},\n"
                + "  {\"id\":\"ether\",\"symbol\":\"eth\",\"name\":\"Ether\"} ]";
        stub(json(body));

        assertThat(awaitRun(launch())).containsEntry("status", "success").containsEntry("records_inserted", 2L);

        assertThat(db.row("SELECT payload::text AS payload FROM raw_api_data")).containsEntry("payload", body);
    }

    @Test
    void anEmptyArrayIsASuccessWithNoRecords() {
        stub(json("[]"));
        Map<String, Object> run = awaitRun(launch());
        assertThat(run).containsEntry("status", "success").containsEntry("records_read", 0L);
        assertThat(db.count("SELECT count(*) FROM unified_records")).isZero();
        assertThat(db.count("SELECT item_count FROM raw_api_data")).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            invalid JSON    | application/json         | [{"id":"a","symbol":"a","name":"A"},{"id": }]               | invalid JSON at line 1, column
            truncated body  | application/json         | [{"id":"a","symbol":"a","name":"A"},{"id":"b","sym          | truncated JSON
            unclosed array  | application/json         | [{"id":"a","symbol":"a","name":"A"}                         | truncated JSON: unexpected end of input after 1 elements
            object          | application/json         | {"error":"rate limited"}                                    | expected a JSON array of items, got a JSON object
            HTML page       | text/html; charset=UTF-8 | <!DOCTYPE html><html><body>Cloudflare says hi</body></html> | expected a JSON array of items, got HTML
            empty body      | application/json         | ''                                                          | expected a JSON array of items, got an empty body
            """)
    void malformedPayloadsFailTheRunOnceWithAClearMessage(String what, String contentType, String body, String reason) {
        stub(aResponse().withStatus(200).withHeader("Content-Type", contentType).withBody(body));

        Map<String, Object> run = awaitRun(launch());

        assertThat(run.get("status")).as(what).isEqualTo("failed");
        assertThat((String) run.get("error_message")).as(what).startsWith(reason);
        assertThat(requests()).as("not retried").hasSize(1);
        assertThat(retryLines()).isEmpty();
        assertThat(db.count("SELECT count(*) FROM unified_records")).isZero();
        assertThat(db.count("SELECT count(*) FROM raw_api_data")).isZero();
        assertThat(db.count("SELECT count(*) FROM ingestion_checkpoints")).isZero();
        assertThat(logs.messages()).contains("coingecko_api: poll failed: " + run.get("error_message"));
    }

    @Test
    void theApiKeyIsSentAsAHeaderAndNeverLogged() {
        stubSequence(aResponse().withStatus(503), aResponse().withStatus(401));

        Map<String, Object> run = awaitRun(launch());

        wireMock.verify(2, getRequestedFor(urlPathEqualTo(PATH)).withHeader("x-cg-demo-api-key", equalTo(API_KEY)));
        assertThat(requests()).allSatisfy(e -> {
            assertThat(e.getRequest().getUrl()).doesNotContain(API_KEY);
            // No Quartz or Camel headers leak into the request.
            assertThat(e.getRequest().getHeaders().keys()).noneMatch(h -> h.toLowerCase().startsWith("camel")
                    || h.equalsIgnoreCase("fireTime") || h.equalsIgnoreCase("etl.trigger"));
        });
        assertThat((String) run.get("error_message")).isEqualTo("HTTP 401 Unauthorized");
        assertThat(logs.allText()).isNotEmpty().doesNotContain(API_KEY);
        assertThat((String) run.get("error_message")).doesNotContain(API_KEY);
    }

    @Test
    void aManualLaunchWhilePollingIsRefusedAndWritesNoRun() {
        stub(json("[]").withFixedDelay(800));
        long runId = launch();
        await().until(() -> requests().size() == 1);

        assertThat(launcher.launch("coingecko_api", "manual")).isEmpty();

        assertThat(awaitRun(runId).get("status")).isEqualTo("success");
        assertThat(db.count("SELECT count(*) FROM etl_runs")).isEqualTo(1);
        assertThat(logs.messages()).contains("coingecko_api: a poll is already running; manual poll skipped");
    }
}
