package com.kasparro.etl.api;

import com.kasparro.etl.support.Samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.kasparro.etl.support.EtlIntegrationTest;
import com.kasparro.etl.support.ServiceTestSupport;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.camel.CamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.VerbDefinition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The operability API against real ingested data: the seed samples dropped through the inbox.
 * Same configuration as InboxIngestionTest, so both share one context (and one PostgreSQL).
 */
@EtlIntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class OperabilityApiTest extends ServiceTestSupport {

    @Autowired
    CamelContext camel;
    ApiClient api;

    @BeforeEach
    void setUp() throws Exception {
        api = new ApiClient(port, json);
    }

    private void dropSamples() throws Exception {
        inbox.drop("products.csv", Samples.PRODUCTS);
        awaitRuns(1);
        inbox.drop("vendors.csv", Samples.VENDORS);
        awaitRuns(2);
    }

    private void awaitRuns(long finished) {
        await().atMost(Duration.ofSeconds(30)).until(
                () -> db.count("SELECT count(*) FROM etl_runs WHERE status <> 'running'") >= finished);
    }

    private long runId(String source) {
        return db.count("SELECT max(id) FROM etl_runs WHERE source = ?", source);
    }

    @Test
    void runsAreListedNewestFirstWithFiltersPagingAndTotals() throws Exception {
        dropSamples();
        long products = runId("products_csv");
        long vendors = runId("vendors_csv");

        JsonNode all = api.ok("/runs");
        assertThat(all.get("total").asLong()).isEqualTo(2);
        assertThat(all.get("items")).extracting(r -> r.get("id").asLong()).containsExactly(vendors, products);

        JsonNode run = all.get("items").get(1);
        assertThat(run.get("source").asText()).isEqualTo("products_csv");
        assertThat(run.get("status").asText()).isEqualTo("success");
        assertThat(run.get("trigger").asText()).isEqualTo("file");
        assertThat(run.get("file_name").asText()).isEqualTo("products.csv");
        assertThat(run.get("records_read").asLong()).isEqualTo(5);
        assertThat(run.get("records_inserted").asLong()).isEqualTo(3);
        assertThat(run.get("records_updated").asLong()).isZero();
        assertThat(run.get("records_skipped").asLong()).isZero();
        assertThat(run.get("records_rejected").asLong()).isEqualTo(2);
        assertThat(run.get("progress_percent").asDouble()).isEqualTo(100.0);
        assertThat(run.get("file_size").asLong()).isEqualTo(Samples.PRODUCTS.getBytes(StandardCharsets.UTF_8).length);
        assertThat(run.get("bytes_read").asLong()).isEqualTo(run.get("file_size").asLong());
        assertThat(run.get("started_at").isTextual()).isTrue();
        assertThat(run.get("finished_at").isTextual()).isTrue();
        assertThat(run.has("error_message")).isTrue();
        assertThat(run.get("error_message").isNull()).isTrue();
        assertThat(run.has("note")).isTrue();
        assertThat(run.has("resumed_from_line")).isTrue();

        assertThat(api.ok("/runs?source=products_csv").get("items"))
                .extracting(r -> r.get("id").asLong()).containsExactly(products);
        assertThat(api.ok("/runs?status=success").get("total").asLong()).isEqualTo(2);
        JsonNode failed = api.ok("/runs?status=failed");
        assertThat(failed.get("total").asLong()).isZero();
        assertThat(failed.get("items")).isEmpty();
        assertThat(api.ok("/runs?source=vendors_csv&status=success").get("total").asLong()).isEqualTo(1);
        assertThat(api.ok("/runs?source=coingecko_api").get("total").asLong()).isZero();
        // Empty values are absent filters, as the original system's clients send them.
        assertThat(api.ok("/runs?source=&status=").get("total").asLong()).isEqualTo(2);

        JsonNode page = api.ok("/runs?limit=1&offset=1");
        assertThat(page.get("total").asLong()).isEqualTo(2);
        assertThat(page.get("items")).extracting(r -> r.get("id").asLong()).containsExactly(products);
        assertThat(api.ok("/runs?limit=1&offset=2").get("items")).isEmpty();

        JsonNode one = api.ok("/runs/" + products);
        assertThat(one).isEqualTo(run);
    }

    @Test
    void aFailedRunShowsItsErrorAndUnknownRunsAre404() throws Exception {
        inbox.drop("customers.csv", "a,b\n1,2\n");
        awaitRuns(1);
        JsonNode failed = api.ok("/runs?status=failed&source=inbox");
        assertThat(failed.get("total").asLong()).isEqualTo(1);
        JsonNode run = api.ok("/runs/" + failed.get("items").get(0).get("id").asLong());
        assertThat(run.get("status").asText()).isEqualTo("failed");
        assertThat(run.get("error_message").asText()).contains("unknown file name");

        assertThat(api.problem("/runs/999999", 404).get("detail").asText()).contains("999999");
        assertThat(api.problem("/runs/abc", 400).get("detail").asText()).contains("id");
        assertThat(api.problem("/runs/0", 400).get("detail").asText()).contains("id");
    }

    @Test
    void recordsArePagedInIdOrderAndSearchedByNameOrExternalId() throws Exception {
        dropSamples();
        JsonNode all = api.ok("/records");
        assertThat(all.get("total").asLong()).isEqualTo(5);
        List<Long> ids = new ArrayList<>();
        all.get("items").forEach(r -> ids.add(r.get("id").asLong()));
        assertThat(ids).isSorted().hasSize(5);
        assertThat(all.get("items")).extracting(r -> r.get("source").asText() + ":" + r.get("external_id").asText())
                .containsExactly("products_csv:1", "products_csv:2", "products_csv:4", "vendors_csv:A1",
                        "vendors_csv:A3");

        JsonNode laptop = all.get("items").get(1);
        assertThat(laptop.get("name").asText()).isEqualTo("Laptop");
        assertThat(laptop.get("category").asText()).isEqualTo("electronics");
        assertThat(laptop.get("value").decimalValue()).isEqualByComparingTo("1299");
        assertThat(laptop.get("attributes")).isEqualTo(json.readTree("{\"extra_col\":\"bar\"}"));
        assertThat(laptop.get("content_hash").asText()).isNotBlank();
        assertThat(laptop.get("created_at").isTextual()).isTrue();
        assertThat(laptop.get("updated_at").isTextual()).isTrue();

        JsonNode page = api.ok("/records?limit=2&offset=2");
        assertThat(page.get("total").asLong()).isEqualTo(5);
        assertThat(page.get("items")).extracting(r -> r.get("external_id").asText()).containsExactly("4", "A1");

        JsonNode vendors = api.ok("/records?source=vendors_csv");
        assertThat(vendors.get("total").asLong()).isEqualTo(2);
        assertThat(vendors.get("items")).extracting(r -> r.get("external_id").asText()).containsExactly("A1", "A3");

        JsonNode phones = api.ok("/records?q=PHONE");
        assertThat(phones.get("total").asLong()).isEqualTo(2);
        assertThat(phones.get("items")).extracting(r -> r.get("external_id").asText()).containsExactly("1", "4");
        assertThat(api.ok("/records?q=a1").get("items")).extracting(r -> r.get("external_id").asText())
                .containsExactly("A1");
        assertThat(api.ok("/records?q=phone&source=vendors_csv").get("total").asLong()).isZero();
        JsonNode paged = api.ok("/records?q=phone&limit=1&offset=1");
        assertThat(paged.get("total").asLong()).isEqualTo(2);
        assertThat(paged.get("items")).extracting(r -> r.get("external_id").asText()).containsExactly("4");
        // LIKE wildcards in q are literal characters.
        assertThat(api.ok("/records?q=" + URLEncoder.encode("%", StandardCharsets.UTF_8)).get("total").asLong())
                .isZero();
        assertThat(api.ok("/records?q=_").get("total").asLong()).isZero();
    }

    @Test
    void oneRecordBySourceAndExternalId() throws Exception {
        dropSamples();
        JsonNode desk = api.ok("/records/vendors_csv/A1");
        assertThat(desk.get("name").asText()).isEqualTo("Desk");
        assertThat(desk.get("category").asText()).isEqualTo("furniture");
        assertThat(desk.get("value").decimalValue()).isEqualByComparingTo("250.50");
        assertThat(desk.get("attributes")).isEqualTo(json.createObjectNode());

        assertThat(api.problem("/records/vendors_csv/A2", 404).get("detail").asText()).contains("A2");
        assertThat(api.problem("/records/products_csv/A1", 404).get("title").asText()).isEqualTo("Not Found");
        assertThat(api.problem("/records/nope/A1", 400).get("detail").asText()).contains("source");
    }

    @Test
    void rejectionsCarryLineRawTextAndReasonFilteredByRunAndSource() throws Exception {
        dropSamples();
        long products = runId("products_csv");
        JsonNode all = api.ok("/rejections");
        assertThat(all.get("total").asLong()).isEqualTo(4);
        assertThat(all.get("items")).extracting(r -> r.get("source").asText() + ":" + r.get("line_number").asLong())
                .containsExactly("products_csv:4", "products_csv:5", "vendors_csv:3", "vendors_csv:5");

        JsonNode ofRun = api.ok("/rejections?run_id=" + products);
        assertThat(ofRun.get("total").asLong()).isEqualTo(2);
        JsonNode chair = ofRun.get("items").get(0);
        assertThat(chair.get("run_id").asLong()).isEqualTo(products);
        assertThat(chair.get("file_name").asText()).isEqualTo("products.csv");
        assertThat(chair.get("raw_text").asText()).isEqualTo("3,Chair,Furniture,not_a_number,baz");
        assertThat(chair.get("reason").asText()).isEqualTo("price is not a decimal number: 'not_a_number'");
        assertThat(chair.get("id").asLong()).isPositive();
        assertThat(chair.get("created_at").isTextual()).isTrue();

        JsonNode vendors = api.ok("/rejections?source=vendors_csv&limit=1&offset=1");
        assertThat(vendors.get("total").asLong()).isEqualTo(2);
        assertThat(vendors.get("items")).extracting(r -> r.get("raw_text").asText())
                .containsExactly("A4,,Electronics,19.99");
        assertThat(api.ok("/rejections?run_id=999999").get("total").asLong()).isZero();
        assertThat(api.ok("/rejections?run_id=" + products + "&source=vendors_csv").get("total").asLong()).isZero();
    }

    @Test
    void schemaDriftListsSnapshotsNewestFirstWithTheirDiff() throws Exception {
        assertThat(api.ok("/schema-drift").get("items")).isEmpty();
        long run = jdbcTemplate.queryForObject("INSERT INTO etl_runs (source, trigger) VALUES ('coingecko_api', "
                + "'schedule') RETURNING id", Long.class);
        jdbcTemplate.update("INSERT INTO schema_snapshots (source, run_id, signature, signature_hash, diff) VALUES "
                + "('coingecko_api', ?, '{\"id\":\"string\",\"name\":\"string\"}', 'h1', NULL)", run);
        jdbcTemplate.update("INSERT INTO schema_snapshots (source, run_id, signature, signature_hash, diff) VALUES "
                + "('coingecko_api', ?, '{\"id\":\"string\",\"name\":\"string\",\"symbol\":\"string\"}', 'h2', "
                + "'{\"added\":{\"symbol\":\"string\"},\"removed\":{},\"changed\":{}}')", run);

        JsonNode drift = api.ok("/schema-drift");
        assertThat(drift.get("items")).extracting(s -> s.get("signature_hash").asText()).containsExactly("h2", "h1");
        JsonNode latest = drift.get("items").get(0);
        assertThat(latest.get("source").asText()).isEqualTo("coingecko_api");
        assertThat(latest.get("run_id").asLong()).isEqualTo(run);
        assertThat(latest.get("signature").get("symbol").asText()).isEqualTo("string");
        assertThat(latest.get("diff").get("added").get("symbol").asText()).isEqualTo("string");
        assertThat(latest.get("created_at").isTextual()).isTrue();
        assertThat(drift.get("items").get(1).get("diff").isNull()).isTrue();
        assertThat(drift.get("items").get(1).get("id").asLong()).isLessThan(latest.get("id").asLong());

        assertThat(api.ok("/schema-drift?source=coingecko_api").get("items")).hasSize(2);
        assertThat(api.ok("/schema-drift?source=products_csv").get("items")).isEmpty();
        assertThat(api.problem("/schema-drift?source=bitcoin", 400).get("detail").asText()).contains("source");
    }

    @Test
    void dataAnswersTheOriginalShapeWithARequestIdInBodyHeaderAndLog(CapturedOutput output) throws Exception {
        dropSamples();
        HttpResponse<String> response = api.get("/data?source=products_csv&limit=2&offset=1");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json.readTree(response.body());
        assertThat(body.properties()).extracting(Map.Entry::getKey)
                .contains("request_id", "api_latency_ms", "count", "data");
        String requestId = body.get("request_id").asText();
        assertThat(requestId).isNotBlank();
        assertThat(response.headers().firstValue("X-Request-Id")).hasValue(requestId);
        assertThat(body.get("api_latency_ms").isNumber()).isTrue();
        assertThat(body.get("count").asInt()).isEqualTo(2);
        assertThat(body.get("data")).hasSize(2);
        JsonNode first = body.get("data").get(0);
        assertThat(first.properties()).extracting(Map.Entry::getKey).containsExactly(
                "id", "source", "external_id", "name", "category", "value", "event_timestamp");
        assertThat(body.get("data")).extracting(d -> d.get("external_id").asText()).containsExactly("2", "4");
        assertThat(first.get("event_timestamp").isTextual()).isTrue();
        await().untilAsserted(() -> assertThat(output.getAll()).contains("request_id=" + requestId));

        JsonNode everything = api.ok("/data");
        assertThat(everything.get("count").asInt()).isEqualTo(5);
        assertThat(everything.get("request_id").asText()).isNotEqualTo(requestId);

        HttpResponse<String> traced = api.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/data?limit=1")).header("X-Request-Id", "trace-42").build());
        assertThat(traced.headers().firstValue("X-Request-Id")).hasValue("trace-42");
        assertThat(json.readTree(traced.body()).get("request_id").asText()).isEqualTo("trace-42");

        HttpResponse<String> bad = api.get("/data?limit=5000");
        assertThat(api.problem(bad, 400).get("detail").asText()).contains("limit");
        assertThat(bad.headers().firstValue("X-Request-Id")).isPresent();
    }

    @Test
    void badParametersAre400ProblemsNamingTheParameter() throws Exception {
        for (String path : List.of("/runs", "/records", "/rejections", "/data")) {
            String sep = "?";
            assertThat(api.problem(path + sep + "limit=abc", 400).get("detail").asText())
                    .isEqualTo("limit must be an integer from 1 to 1000");
            assertThat(api.problem(path + sep + "limit=0", 400).get("detail").asText()).startsWith("limit");
            assertThat(api.problem(path + sep + "limit=1001", 400).get("detail").asText()).startsWith("limit");
            assertThat(api.problem(path + sep + "offset=-1", 400).get("detail").asText()).startsWith("offset");
            assertThat(api.problem(path + sep + "offset=x", 400).get("detail").asText()).startsWith("offset");
            assertThat(api.problem(path + sep + "source=nope", 400).get("detail").asText()).startsWith("source");
            assertThat(api.ok(path + sep + "limit=1000&offset=0").isObject()).isTrue();
        }
        JsonNode problem = api.problem("/runs?status=done", 400);
        assertThat(problem.get("title").asText()).isEqualTo("Bad Request");
        assertThat(problem.get("detail").asText()).isEqualTo("status must be one of running, success, failed");
        assertThat(api.problem("/rejections?run_id=abc", 400).get("detail").asText()).startsWith("run_id");
        assertThat(api.problem("/runs?limit=1&limit=2", 400).get("detail").asText()).startsWith("limit");
    }

    @Test
    void theTriggerIsAbsentWhileNoAdminTokenIsConfigured() throws Exception {
        api.problem(api.post("/runs/coingecko", null), 404);
        api.problem(api.post("/runs/coingecko", "Bearer anything"), 404);
        api.problem(api.post("/rejections/replay?source=products_csv", null), 404);
        api.problem(api.post("/rejections/replay?source=products_csv", "Bearer anything"), 404);
    }

    @Test
    void openApiDocumentListsExactlyTheRestRoutesWithParametersAndSchemas() throws Exception {
        JsonNode doc = api.ok("/openapi.json");
        // Kept for a look by hand: target/openapi.json.
        java.nio.file.Files.writeString(java.nio.file.Path.of("target", "openapi.json"), doc.toPrettyString());
        assertThat(doc.get("openapi").asText()).startsWith("3.");
        assertThat(doc.get("info").get("title").asText()).isEqualTo("Kasparro ETL");

        Set<String> served = new TreeSet<>();
        Model model = camel.getCamelContextExtension().getContextPlugin(Model.class);
        for (RestDefinition rest : model.getRestDefinitions()) {
            for (VerbDefinition verb : rest.getVerbs()) {
                String base = rest.getPath() == null ? "" : rest.getPath();
                String path = (base + "/" + verb.getPath()).replaceAll("/+", "/");
                served.add(verb.asVerb().toUpperCase() + " " + path);
            }
        }
        Set<String> documented = new TreeSet<>();
        doc.get("paths").properties().forEach(p -> p.getValue().properties()
                .forEach(op -> documented.add(op.getKey().toUpperCase() + " " + p.getKey())));
        assertThat(documented).isEqualTo(served).contains(
                "GET /runs", "GET /runs/{id}", "GET /records", "GET /records/{source}/{external_id}",
                "GET /schema-drift", "GET /rejections", "GET /data", "POST /runs/coingecko", "GET /health",
                "GET /stats", "POST /rejections/replay", "GET /rejections.csv");

        doc.get("paths").properties().forEach(p -> p.getValue().properties().forEach(op -> {
            JsonNode operation = op.getValue();
            assertThat(operation.path("description").asText() + operation.path("summary").asText())
                    .as("description of %s %s", op.getKey(), p.getKey()).isNotBlank();
            assertThat(operation.get("responses").properties()).as("responses of %s", p.getKey()).isNotEmpty();
            operation.get("responses").properties().forEach(r -> assertThat(
                    r.getValue().path("content").elements().next().path("schema").isMissingNode())
                    .as("schema of %s %s %s", op.getKey(), p.getKey(), r.getKey()).isFalse());
        }));
        assertThat(doc.get("paths").get("/runs").get("get").get("operationId").asText()).isEqualTo("listRuns");
        JsonNode runsParams = doc.get("paths").get("/runs").get("get").get("parameters");
        assertThat(runsParams).extracting(n -> n.get("name").asText())
                .containsExactlyInAnyOrder("source", "status", "limit", "offset");
        assertThat(doc.get("paths").get("/rejections").get("get").get("parameters"))
                .extracting(n -> n.get("name").asText()).contains("run_id", "resolved");
        assertThat(doc.get("paths").get("/rejections/replay").get("post").get("parameters"))
                .extracting(n -> n.get("in").asText() + ":" + n.get("name").asText())
                .contains("query:source", "query:run_id", "header:Authorization");
        assertThat(doc.get("paths").get("/records/{source}/{external_id}").get("get").get("parameters"))
                .extracting(n -> n.get("in").asText() + ":" + n.get("name").asText())
                .contains("path:source", "path:external_id");
        JsonNode schemas = doc.get("components").get("schemas");
        assertThat(schemas.toString()).contains("progress_percent", "external_id", "raw_text", "signature_hash",
                "event_timestamp", "run_id", "resolved_by_run");
    }

    @Test
    void actuatorServesProbesAndPrometheusAndNothingElse() throws Exception {
        HttpResponse<String> liveness = api.get("/actuator/health/liveness");
        assertThat(liveness.statusCode()).isEqualTo(200);
        assertThat(json.readTree(liveness.body()).get("status").asText()).isEqualTo("UP");
        // Camel's health checks start DOWN until their first run: readiness comes up within seconds.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> readiness = api.get("/actuator/health/readiness");
            assertThat(readiness.statusCode()).as(readiness.body()).isEqualTo(200);
            assertThat(json.readTree(readiness.body()).get("status").asText()).isEqualTo("UP");
        });

        HttpResponse<String> prometheus = api.get("/actuator/prometheus");
        assertThat(prometheus.statusCode()).isEqualTo(200);
        assertThat(prometheus.body()).contains("etl_records_total{", "etl_runs_total{", "etl_retries_total{",
                "etl_schema_drift_total{", "etl_last_success_timestamp_seconds{",
                "camel_exchanges_total{");

        for (String hidden : List.of("/actuator/env", "/actuator/beans", "/actuator/metrics", "/actuator/info",
                "/actuator/camelroutes", "/actuator/configprops", "/actuator")) {
            assertThat(api.get(hidden).statusCode()).as(hidden).isEqualTo(404);
        }
    }

    @Test
    void metricsMoveByExactlyTheCountsOfAKnownFile() throws Exception {
        String before = api.get("/actuator/prometheus").body();
        inbox.drop("products.csv", Samples.PRODUCTS);
        awaitRuns(1);
        inbox.drop("products-v2.csv", Samples.PRODUCTS.replace("1299,bar", "1199,bar"));
        awaitRuns(2);
        inbox.drop("unknown.csv", "a\n1\n");
        awaitRuns(3);

        Map<String, Double> expected = Map.of(
                "inserted", 3.0, "updated", 1.0, "skipped", 2.0, "rejected", 4.0);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String after = api.get("/actuator/prometheus").body();
            expected.forEach((outcome, delta) -> assertThat(delta(before, after, "etl_records_total",
                    Map.of("source", "products_csv", "outcome", outcome))).as(outcome).isEqualTo(delta));
            assertThat(delta(before, after, "etl_records_total", Map.of("source", "vendors_csv", "outcome",
                    "inserted"))).isZero();
            assertThat(delta(before, after, "etl_runs_total", Map.of("source", "products_csv", "status", "success")))
                    .isEqualTo(2.0);
            assertThat(delta(before, after, "etl_runs_total", Map.of("source", "products_csv", "status", "failed")))
                    .isZero();
            assertThat(delta(before, after, "etl_runs_total", Map.of("source", "inbox", "status", "failed")))
                    .isEqualTo(1.0);
            assertThat(delta(before, after, "etl_run_duration_seconds_count", Map.of("source", "products_csv")))
                    .isEqualTo(2.0);
            double lastSuccess = ApiClient.sample(after, "etl_last_success_timestamp_seconds",
                    Map.of("source", "products_csv"));
            assertThat(lastSuccess).isGreaterThan(System.currentTimeMillis() / 1000.0 - 120)
                    .isLessThanOrEqualTo(System.currentTimeMillis() / 1000.0 + 1);
        });
    }

    private static double delta(String before, String after, String name, Map<String, String> labels) {
        return ApiClient.sample(after, name, labels) - ApiClient.sample(before, name, labels);
    }
}
