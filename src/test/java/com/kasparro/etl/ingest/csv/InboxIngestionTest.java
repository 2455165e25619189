package com.kasparro.etl.ingest.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.kasparro.etl.support.Csv;
import com.kasparro.etl.support.EtlIntegrationTest;
import com.kasparro.etl.support.LogCapture;
import com.kasparro.etl.support.ServiceTestSupport;
import com.kasparro.etl.support.Samples;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The seed samples and the inbox contract, end to end: files in, rows in PostgreSQL, /stats out. */
@EtlIntegrationTest
class InboxIngestionTest extends ServiceTestSupport {

    static final String PRODUCTS = Samples.PRODUCTS;
    static final String VENDORS = Samples.VENDORS;

    final HttpClient http = HttpClient.newHttpClient();

    @Autowired
    MeterRegistry meters;


    @Test
    void samplesLandWithTheirRejectionsAndTheFilesEndInDone() throws Exception {
        inbox.drop("products.csv", PRODUCTS);
        inbox.drop("vendors.csv", VENDORS);

        awaitRuns(2);
        JsonNode stats = get("/stats");
        assertThat(stats.get("records_by_source").get("products_csv").asLong()).isEqualTo(3);
        assertThat(stats.get("records_by_source").get("vendors_csv").asLong()).isEqualTo(2);
        assertThat(stats.get("records_by_source").get("coingecko_api").asLong()).isZero();
        assertThat(db.count("SELECT count(*) FROM unified_records")).isEqualTo(5);

        List<Map<String, Object>> rejected = db.rows(
                "SELECT source, line_number, raw_text, reason FROM rejected_rows ORDER BY source, line_number");
        assertThat(rejected).extracting(r -> r.get("source") + ":" + r.get("line_number") + ":" + r.get("raw_text"))
                .containsExactly(
                        "products_csv:4:3,Chair,Furniture,not_a_number,baz",
                        "products_csv:5:,Table,Furniture,199,missing_id",
                        "vendors_csv:3:A2,Lamp,Furniture,invalid_price",
                        "vendors_csv:5:A4,,Electronics,19.99");
        assertThat(rejected).extracting(r -> (String) r.get("reason")).containsExactly(
                "price is not a decimal number: 'not_a_number'",
                "product_id is missing or empty",
                "amount is not a decimal number: 'invalid_price'",
                "product_name is missing or empty");

        Map<String, Object> laptop = db.row(
                "SELECT name, category, value, attributes::text AS attributes FROM unified_records "
                        + "WHERE source = 'products_csv' AND external_id = '2'");
        assertThat(laptop.get("category")).isEqualTo("electronics");
        assertThat(laptop.get("value").toString()).isEqualTo("1299");
        assertThat(laptop.get("attributes")).isEqualTo("{\"extra_col\": \"bar\"}");

        Map<String, Object> run = db.row("SELECT status, records_read, records_inserted, records_updated, "
                + "records_skipped, records_rejected, finished_at FROM etl_runs WHERE source = 'products_csv'");
        assertThat(run).containsEntry("status", "success").containsEntry("records_read", 5L)
                .containsEntry("records_inserted", 3L).containsEntry("records_updated", 0L)
                .containsEntry("records_skipped", 0L).containsEntry("records_rejected", 2L);
        assertThat(run.get("finished_at")).isNotNull();
        assertThat(db.count("SELECT count(*) FROM raw_csv_data WHERE source = 'products_csv'")).isEqualTo(5);
        await().untilAsserted(() -> assertThat(inbox.done()).containsExactlyInAnyOrder("products.csv", "vendors.csv"));
        assertThat(inbox.pending()).isEmpty();
    }

    @Test
    void sameContentUnderAnotherNameAddsNothingButIsARun() throws Exception {
        inbox.drop("products.csv", PRODUCTS);
        awaitRuns(1);
        inbox.drop("products_copy.csv", PRODUCTS);
        awaitRuns(2);

        assertThat(db.count("SELECT count(*) FROM unified_records")).isEqualTo(3);
        assertThat(db.count("SELECT count(*) FROM rejected_rows")).isEqualTo(2);
        Map<String, Object> second = db.row("SELECT status, records_read, records_skipped, records_inserted, note "
                + "FROM etl_runs WHERE file_name = 'products_copy.csv'");
        assertThat(second).containsEntry("status", "success").containsEntry("records_read", 5L)
                .containsEntry("records_skipped", 5L).containsEntry("records_inserted", 0L);
        assertThat((String) second.get("note")).contains("identical content");
        await().untilAsserted(() -> assertThat(inbox.done()).contains("products_copy.csv"));
    }

    @Test
    void aSecondFileWithTheSameNameGetsATimestampInDone() throws Exception {
        inbox.drop("products.csv", PRODUCTS);
        awaitRuns(1);
        await().untilAsserted(() -> assertThat(inbox.done()).contains("products.csv"));
        inbox.drop("products.csv", PRODUCTS.replace("699,foo", "700,foo"));
        awaitRuns(2);
        await().untilAsserted(() -> assertThat(inbox.done()).hasSize(2));
        assertThat(inbox.done()).anyMatch(n -> n.matches("products-\\d{8}T\\d{9}\\.csv"));
    }

    @Test
    void aChangedPriceUpdatesTheRecordAndAddsNothing() throws Exception {
        inbox.drop("products.csv", PRODUCTS);
        awaitRuns(1);
        inbox.drop("products-v2.csv", PRODUCTS.replace("2,Laptop,ELECTRONICS,1299,bar", "2,Laptop,ELECTRONICS,1199.99,bar"));
        awaitRuns(2);

        assertThat(db.count("SELECT count(*) FROM unified_records")).isEqualTo(3);
        assertThat(db.row("SELECT value FROM unified_records WHERE external_id = '2'").get("value").toString())
                .isEqualTo("1199.99");
        Map<String, Object> second = db.row("SELECT records_inserted, records_updated, records_skipped "
                + "FROM etl_runs WHERE file_name = 'products-v2.csv'");
        assertThat(second).containsEntry("records_inserted", 0L).containsEntry("records_updated", 1L)
                .containsEntry("records_skipped", 2L);
        assertThat(get("/stats").get("records_by_source").get("products_csv").asLong()).isEqualTo(3);

        // The first file again: its content no longer matches the table, so it is applied again.
        inbox.drop("products-v1-again.csv", PRODUCTS);
        awaitRuns(3);
        assertThat(db.row("SELECT value FROM unified_records WHERE external_id = '2'").get("value").toString())
                .isEqualTo("1299");
    }

    @Test
    void aDuplicateKeyInOneFileDoesNotRollBackItsNeighbours() throws Exception {
        inbox.drop("products.csv", """
                product_id,name,category,price
                10,A,x,1
                11,B,x,2
                10,A2,x,3
                12,C,x,4
                """);
        awaitRuns(1);
        assertThat(db.rows("SELECT external_id, name FROM unified_records ORDER BY external_id"))
                .extracting(r -> r.get("external_id") + "=" + r.get("name"))
                .containsExactly("10=A2", "11=B", "12=C");
        assertThat(db.row("SELECT records_inserted, records_skipped FROM etl_runs"))
                .containsEntry("records_inserted", 3L).containsEntry("records_skipped", 1L);
    }

    @Test
    void unknownNamesGoToErrorWithAFailedRunAndOtherFilesAreLeftAlone() throws Exception {
        inbox.drop("customers.csv", "a,b\n1,2\n");
        Files.writeString(inbox.dir().resolve("products.csv.part"), PRODUCTS);
        Files.writeString(inbox.dir().resolve(".products.csv"), PRODUCTS);
        awaitRuns(1);
        Map<String, Object> run = db.row("SELECT source, status, error_message FROM etl_runs");
        assertThat(run).containsEntry("source", "inbox").containsEntry("status", "failed");
        assertThat((String) run.get("error_message")).contains("unknown file name");
        await().untilAsserted(() -> assertThat(inbox.error()).containsExactly("customers.csv"));
        assertThat(Files.exists(inbox.dir().resolve("products.csv.part"))).isTrue();
        assertThat(Files.exists(inbox.dir().resolve(".products.csv"))).isTrue();
        assertThat(db.count("SELECT count(*) FROM etl_runs")).isEqualTo(1);
    }

    @Test
    void fileNamesMatchCaseInsensitively() throws Exception {
        inbox.drop("PRODUCTS_2026.CSV", PRODUCTS);
        inbox.drop("Vendors-Q4.csv", VENDORS);
        awaitRuns(2);
        assertThat(db.rows("SELECT source, count(*) AS n FROM unified_records GROUP BY source ORDER BY source"))
                .extracting(r -> r.get("source") + "=" + r.get("n"))
                .containsExactly("products_csv=3", "vendors_csv=2");
    }

    @Test
    void statsHasTheContractShapeAndHealthIsOk() throws Exception {
        inbox.drop("products.csv", PRODUCTS);
        inbox.drop("nothing.csv", "x\n");
        awaitRuns(2);
        JsonNode stats = get("/stats");
        assertThat(stats.get("total_runs").asLong()).isEqualTo(2);
        assertThat(stats.get("successful_runs").asLong()).isEqualTo(1);
        assertThat(stats.get("failed_runs").asLong()).isEqualTo(1);
        assertThat(stats.get("records_by_source").properties()).extracting(Map.Entry::getKey)
                .containsExactlyInAnyOrder("coingecko_api", "coingecko_markets", "products_csv", "vendors_csv");
        assertThat(stats.get("runs").get("total").asLong()).isEqualTo(2);
        assertThat(stats.get("runs").get("success").asLong()).isEqualTo(1);
        assertThat(stats.get("runs").get("failed").asLong()).isEqualTo(1);
        assertThat(stats.get("runs").get("last_success_at").isTextual()).isTrue();
        assertThat(stats.get("runs").get("last_failure_at").isTextual()).isTrue();
        assertThat(stats.get("records")).isEqualTo(stats.get("records_by_source"));
        assertThat(stats.get("checkpoints").get("products_csv").asText()).isEqualTo("products.csv:complete");

        HttpResponse<String> health = send("/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(json.readTree(health.body())).isEqualTo(json.readTree("{\"status\":\"ok\",\"database\":\"ok\"}"));
        assertThat(health.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    }

    @Test
    void unknownPathsAnswerProblemJson() throws Exception {
        HttpResponse<String> response = send("/no-such-thing");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/problem+json"));
        assertThat(response.body()).doesNotContain("<html").doesNotContain("at com.");
    }

    @Test
    void everyLineOfARunCarriesItsSourceAndRunId() throws Exception {
        try (LogCapture logs = LogCapture.attach()) {
            inbox.drop("products-mdc.csv", Csv.products("m", 5_000, 100)); // five batches
            await().atMost(Duration.ofSeconds(30)).until(() -> logs.messages().stream()
                    .anyMatch(m -> m.startsWith("products-mdc.csv: done")));
            long runId = db.count("SELECT max(id) FROM etl_runs");
            List<LogCapture.Line> run = logs.lines().stream().filter(l -> l.message().contains("products-mdc.csv")).toList();
            assertThat(run).hasSizeGreaterThanOrEqualTo(2).allSatisfy(line -> assertThat(line.mdc())
                    .as(line.text()).containsEntry("etl.source", "products_csv")
                    .containsEntry("etl.run_id", Long.toString(runId)));
        }
    }

    private void awaitRuns(long finished) {
        await().atMost(Duration.ofSeconds(30)).until(
                () -> db.count("SELECT count(*) FROM etl_runs WHERE status <> 'running'") >= finished);
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> response = send(path);
        assertThat(response.statusCode()).isEqualTo(200);
        return json.readTree(response.body());
    }

    private HttpResponse<String> send(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

}
