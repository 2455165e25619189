package com.kasparro.etl.api;

import com.kasparro.etl.support.Samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.kasparro.etl.support.EtlIntegrationTest;
import com.kasparro.etl.support.ServiceTestSupport;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

/**
 * The settings an operator turns: an admin token (the trigger), small batches and a short progress
 * interval (progress while a large file is ingested), and JSON logs (ECS). One context for all.
 */
@EtlIntegrationTest
@ExtendWith(OutputCaptureExtension.class)
@Import(RecordingPollLauncher.Config.class)
@TestPropertySource(properties = {
        "etl.admin-token=" + TunedOperabilityTest.TOKEN,
        "etl.batch-size=500",
        "etl.progress-log-interval=200ms",
        "logging.structured.format.console=ecs"})
class TunedOperabilityTest extends ServiceTestSupport {

    static final String TOKEN = "t0ken-for-tests-only";

    @Autowired
    RecordingPollLauncher launcher;
    ApiClient api;

    @BeforeEach
    void setUp() throws Exception {
        api = new ApiClient(port, json);
        launcher.triggers.clear();
        launcher.pollRunning = false;
    }

    @Test
    void theTriggerNeedsTheTokenStartsAPollAndRefusesASecondOne(CapturedOutput output) throws Exception {
        HttpResponse<String> none = api.post("/runs/coingecko", null);
        api.problem(none, 401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        api.problem(api.post("/runs/coingecko", "Bearer wrong"), 401);
        api.problem(api.post("/runs/coingecko", "Bearer " + TOKEN + "x"), 401);
        api.problem(api.post("/runs/coingecko", "Basic " + TOKEN), 401);
        assertThat(launcher.triggers).isEmpty();

        HttpResponse<String> accepted = api.post("/runs/coingecko", "Bearer " + TOKEN);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        JsonNode body = json.readTree(accepted.body());
        long runId = body.get("run_id").asLong();
        assertThat(body.get("status").asText()).isEqualTo("running");
        assertThat(accepted.headers().firstValue("Location")).hasValue("/runs/" + runId);
        assertThat(accepted.headers().firstValue("Authorization")).isEmpty();
        assertThat(launcher.triggers).containsExactly("manual");

        JsonNode run = api.ok("/runs/" + runId);
        assertThat(run.get("source").asText()).isEqualTo("coingecko_api");
        assertThat(run.get("trigger").asText()).isEqualTo("manual");
        assertThat(run.get("status").asText()).isEqualTo("running");
        assertThat(run.get("progress_percent").isNull()).isTrue();

        launcher.pollRunning = true;
        JsonNode conflict = api.problem(api.post("/runs/coingecko", "Bearer " + TOKEN), 409);
        assertThat(conflict.get("detail").asText()).contains("already running");
        assertThat(output.getAll()).doesNotContain(TOKEN);
    }

    @Test
    void progressIsVisibleWhileALargeFileIsIngestedAndReaches100(CapturedOutput output) throws Exception {
        int rows = 150_000;
        StringBuilder csv = new StringBuilder(rows * 32).append("product_id,name,category,price\n");
        for (int i = 1; i <= rows; i++) {
            csv.append(i).append(",Product ").append(i).append(",cat").append(i % 7).append(',')
                    .append(i % 1000 + 1).append(".99\n");
        }
        inbox.drop("products_big.csv", csv.toString());

        long runId = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> db.count("SELECT coalesce(max(id), 0) FROM etl_runs WHERE source = 'products_csv'"),
                        id -> id > 0);
        List<String> seen = new ArrayList<>();
        await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(20)).until(() -> {
            JsonNode run = api.ok("/runs/" + runId);
            seen.add(run.get("status").asText() + ":" + run.get("progress_percent").asText()
                    + ":" + run.get("records_read").asLong());
            return !"running".equals(run.get("status").asText());
        });

        assertThat(seen).anySatisfy(s -> {
            String[] parts = s.split(":");
            assertThat(parts[0]).isEqualTo("running");
            assertThat(Double.parseDouble(parts[1])).isGreaterThan(0).isLessThan(100);
            assertThat(Long.parseLong(parts[2])).isGreaterThan(0).isLessThan(rows);
        });
        JsonNode done = api.ok("/runs/" + runId);
        assertThat(done.get("status").asText()).isEqualTo("success");
        assertThat(done.get("progress_percent").asDouble()).isEqualTo(100.0);
        assertThat(done.get("records_inserted").asLong()).isEqualTo(rows);
        assertThat(done.get("bytes_read").asLong()).isEqualTo(done.get("file_size").asLong());

        Pattern progressLine = Pattern.compile(
                "products_big\\.csv: [\\d,]+ rows \\(\\d{1,3}%\\), [\\d,]+ rows/s(, ETA \\d+(s|m\\d{2}s|h\\d{2}m))?");
        assertThat(progressLine.matcher(output.getAll()).find()).as("a progress line in the log").isTrue();
    }

    @Test
    void jsonLogLinesOfARunCarryItsRunIdAndSource(CapturedOutput output) throws Exception {
        inbox.drop("products.csv", Samples.PRODUCTS);
        await().atMost(Duration.ofSeconds(30)).until(
                () -> db.count("SELECT count(*) FROM etl_runs WHERE status <> 'running'") >= 1);
        long runId = db.count("SELECT max(id) FROM etl_runs");

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            List<JsonNode> ofRun = new ArrayList<>();
            for (String line : output.getAll().split("\\R")) {
                if (!line.startsWith("{")) {
                    continue;
                }
                JsonNode event = json.readTree(line);
                if (String.valueOf(runId).equals(mdc(event, "run_id"))) {
                    ofRun.add(event);
                }
            }
            assertThat(ofRun).as("JSON lines carrying run %s", runId).isNotEmpty();
            assertThat(ofRun).allSatisfy(e -> assertThat(mdc(e, "source")).isEqualTo("products_csv"));
            assertThat(ofRun).anySatisfy(e -> assertThat(e.path("message").asText()).contains("products.csv"));
        });
    }

    /** An MDC value of an ECS event: flat ("etl.run_id") or nested ({"etl":{"run_id":...}}). */
    private static String mdc(JsonNode event, String key) {
        JsonNode flat = event.get("etl." + key);
        if (flat != null) {
            return flat.asText();
        }
        JsonNode nested = event.path("etl").get(key);
        return nested == null ? null : nested.asText();
    }
}
