package com.kasparro.etl.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.kasparro.etl.support.EtlIntegrationTest;
import com.kasparro.etl.support.Samples;
import com.kasparro.etl.support.ServiceTestSupport;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

/**
 * Fix and replay, in process: the admin token of {@code POST /rejections/replay}, its parameters, a
 * replay through the real normalization route (rows that now pass are loaded and resolved, the
 * others keep failing), and {@code GET /rejections.csv}. The configuration of TunedOperabilityTest,
 * so both share one context. (A rule relaxed by configuration and a restart: ReplayIT.)
 */
@EtlIntegrationTest
@Import(RecordingPollLauncher.Config.class)
@TestPropertySource(properties = {
        "etl.admin-token=" + TunedOperabilityTest.TOKEN,
        "etl.batch-size=500",
        "etl.progress-log-interval=200ms",
        "logging.structured.format.console=ecs"})
class RejectionReplayApiTest extends ServiceTestSupport {

    static final String ADMIN = "Bearer " + TunedOperabilityTest.TOKEN;

    ApiClient api;

    @BeforeEach
    void setUp() {
        api = new ApiClient(port, json);
    }

    private long dropProducts(String name, String content) throws Exception {
        long before = db.count("SELECT count(*) FROM etl_runs");
        inbox.drop(name, content);
        await().atMost(Duration.ofSeconds(30)).until(() -> db.count(
                "SELECT count(*) FROM etl_runs WHERE status <> 'running'") > before);
        return db.count("SELECT max(id) FROM etl_runs WHERE source = 'products_csv' AND trigger = 'file'");
    }

    private JsonNode awaitRun(long runId) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> api.ok("/runs/" + runId),
                run -> !"running".equals(run.get("status").asText()));
    }

    private long replay(String query) throws Exception {
        HttpResponse<String> accepted = api.post("/rejections/replay?" + query, ADMIN);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        long runId = json.readTree(accepted.body()).get("run_id").asLong();
        assertThat(accepted.headers().firstValue("Location")).hasValue("/runs/" + runId);
        return runId;
    }

    @Test
    void theReplayNeedsTheTokenAndNamesABadParameter() throws Exception {
        HttpResponse<String> none = api.post("/rejections/replay?source=products_csv", null);
        api.problem(none, 401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        api.problem(api.post("/rejections/replay?source=products_csv", "Bearer wrong"), 401);

        assertThat(api.problem(api.post("/rejections/replay", ADMIN), 400).get("detail").asText())
                .isEqualTo("source is required");
        assertThat(api.problem(api.post("/rejections/replay?source=nope", ADMIN), 400).get("detail").asText())
                .startsWith("source must be one of");
        assertThat(api.problem(api.post("/rejections/replay?source=products_csv&run_id=x", ADMIN), 400)
                .get("detail").asText()).isEqualTo("run_id must be a positive integer");
        assertThat(api.problem(api.post("/rejections/replay?source=products_csv&run_id=999", ADMIN), 404)
                .get("detail").asText()).isEqualTo("no run 999 of source products_csv");
        assertThat(api.problem("/rejections.csv?source=products_csv", 400).get("detail").asText())
                .isEqualTo("run_id is required");
        assertThat(api.problem("/rejections.csv?run_id=1", 400).get("detail").asText())
                .isEqualTo("source is required");
        assertThat(api.problem("/rejections?resolved=maybe", 400).get("detail").asText())
                .isEqualTo("resolved must be true or false");
        assertThat(db.count("SELECT count(*) FROM etl_runs")).as("nothing started").isZero();
    }

    @Test
    void rowsThatNowPassAreLoadedAndResolvedAndTheOthersKeepFailing() throws Exception {
        long file = dropProducts("products.csv", Samples.PRODUCTS);
        assertThat(db.row("SELECT header_line FROM etl_runs WHERE id = ?", file).get("header_line"))
                .isEqualTo("product_id,name,category,price,extra_col");
        // A row refused under a stricter rule than today's, as if the configuration had been relaxed since.
        jdbcTemplate.update("INSERT INTO rejected_rows (run_id, source, file_name, line_number, raw_text, reason)"
                + " VALUES (?, 'products_csv', 'products.csv', 7, '7,\"Stool, tall\",Furniture,20,x',"
                + " 'price must be greater than 100: ''20''')", file);

        long replay = replay("source=products_csv&run_id=" + file);
        JsonNode run = awaitRun(replay);
        assertThat(run.get("status").asText()).isEqualTo("success");
        assertThat(run.get("trigger").asText()).isEqualTo("replay");
        assertThat(run.get("records_read").asLong()).isEqualTo(3);
        assertThat(run.get("records_inserted").asLong()).isEqualTo(1);
        assertThat(run.get("records_rejected").asLong()).isEqualTo(2);
        assertThat(run.get("note").asText()).startsWith("replay of 3 unresolved rejected row(s) of run(s) [" + file + "]");

        JsonNode stool = api.ok("/records/products_csv/7");
        assertThat(stool.get("name").asText()).isEqualTo("Stool, tall");
        assertThat(stool.at("/attributes/extra_col").asText()).isEqualTo("x");
        JsonNode resolved = api.ok("/rejections?resolved=true");
        assertThat(resolved.get("total").asLong()).isEqualTo(1);
        assertThat(resolved.at("/items/0/line_number").asLong()).isEqualTo(7);
        assertThat(resolved.at("/items/0/resolved_by_run").asLong()).isEqualTo(replay);
        // The rows that still fail: unresolved where they were, and the replay run's own with today's reason.
        JsonNode stillFailing = api.ok("/rejections?resolved=false&run_id=" + replay);
        assertThat(stillFailing.get("items").findValuesAsText("reason")).containsExactly(
                "price is not a decimal number: 'not_a_number'", "product_id is missing or empty");
        assertThat(stillFailing.get("items").findValues("line_number")).extracting(JsonNode::asLong)
                .containsExactly(4L, 5L);
        assertThat(api.ok("/rejections?resolved=false&run_id=" + file).get("total").asLong()).isEqualTo(2);
        assertThat(api.ok("/rejections?run_id=" + file).at("/items/0/resolved_by_run").isNull()).isTrue();

        long again = replay("source=products_csv");
        JsonNode second = awaitRun(again);
        assertThat(second.get("status").asText()).isEqualTo("success");
        assertThat(second.get("records_inserted").asLong() + second.get("records_updated").asLong()).isZero();
        assertThat(second.get("records_read").asLong()).as("only the original file's two rows").isEqualTo(2);
        assertThat(db.count("SELECT count(*) FROM unified_records WHERE source = 'products_csv'")).isEqualTo(4);
    }

    @Test
    void aReplayedRowLeavesARecordThatANewerFileHasWritten() throws Exception {
        long file = dropProducts("products.csv", Samples.PRODUCTS);
        jdbcTemplate.update("INSERT INTO rejected_rows (run_id, source, file_name, line_number, raw_text, reason)"
                + " VALUES (?, 'products_csv', 'products.csv', 7, '7,Stool,Furniture,20,x',"
                + " 'price must be greater than 100: ''20''')", file);
        dropProducts("products-later.csv", "product_id,name,category,price\n7,Stool v2,Furniture,30\n");

        JsonNode run = awaitRun(replay("source=products_csv&run_id=" + file));
        assertThat(run.get("status").asText()).isEqualTo("success");
        assertThat(run.get("records_read").asLong()).isEqualTo(3);
        assertThat(run.get("records_rejected").asLong()).isEqualTo(2);
        assertThat(run.get("records_inserted").asLong() + run.get("records_updated").asLong()).isZero();
        assertThat(run.get("records_skipped").asLong()).isEqualTo(1);
        assertThat(api.ok("/records/products_csv/7").get("name").asText()).isEqualTo("Stool v2");
        assertThat(db.count("SELECT resolved_by_run FROM rejected_rows WHERE run_id = ? AND line_number = 7", file))
                .isEqualTo(run.get("id").asLong());
    }

    @Test
    void aJsonApiSourcesRowsAreReadAgainAsItems() throws Exception {
        long poll = db.count("INSERT INTO etl_runs (source, trigger, status, finished_at) "
                + "VALUES ('coingecko_api', 'manual', 'success', now()) RETURNING id");
        jdbcTemplate.update("INSERT INTO rejected_rows (run_id, source, line_number, raw_text, reason) VALUES "
                + "(?, 'coingecko_api', 3, '{\"id\":\"bitcoin\",\"symbol\":\"btc\",\"name\":\"Bitcoin\"}', 'old rule'),"
                + "(?, 'coingecko_api', 9, '{\"symbol\":\"x\"}', 'id is missing')", poll, poll);

        JsonNode run = awaitRun(replay("source=coingecko_api"));
        assertThat(run.get("records_inserted").asLong()).isEqualTo(1);
        assertThat(run.get("records_rejected").asLong()).isEqualTo(1);
        assertThat(api.ok("/records/coingecko_api/bitcoin").get("category").asText()).isEqualTo("btc");
        assertThat(db.count("SELECT resolved_by_run FROM rejected_rows WHERE run_id = ? AND line_number = 3", poll))
                .isEqualTo(run.get("id").asLong());
        assertThat(db.count("SELECT count(*) FROM rejected_rows WHERE run_id = ? AND resolved_by_run IS NULL", poll))
                .isEqualTo(1);
    }

    @Test
    void theDownloadIsTheFilesHeaderThenItsUnresolvedRowsExactly() throws Exception {
        String content = "product_id,name,category,price,extra_col\r\n"
                + "1,Phone,Electronics,699,foo\r\n"
                + "2,\"Desk\nwith drawer\",Furniture,-5,bar\r\n"
                + "3,Ta\0ble \\ x,Furniture,5,nul\r\n"
                + ",Chair,Furniture,9,none\r\n";
        long file = dropProducts("products-2026-12.csv", content);

        HttpResponse<String> csv = api.get("/rejections.csv?source=products_csv&run_id=" + file);
        assertThat(csv.statusCode()).as(csv.body()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/csv"));
        assertThat(csv.headers().firstValue("Content-Disposition"))
                .hasValue("attachment; filename=\"products-2026-12-rejected.csv\"");
        assertThat(csv.body()).isEqualTo("product_id,name,category,price,extra_col\n"
                + "2,\"Desk\nwith drawer\",Furniture,-5,bar\n"
                + "3,Ta\0ble \\ x,Furniture,5,nul\n"
                + ",Chair,Furniture,9,none\n");

        api.problem("/rejections.csv?source=vendors_csv&run_id=" + file, 404);
        api.problem("/rejections.csv?source=products_csv&run_id=" + (file + 100), 404);
        jdbcTemplate.update("UPDATE etl_runs SET header_line = NULL WHERE id = ?", file);
        assertThat(api.problem("/rejections.csv?source=products_csv&run_id=" + file, 404).get("detail").asText())
                .contains("kept no header line");
        assertThat(api.problem(api.post("/rejections/replay?source=products_csv&run_id=" + file, ADMIN), 409)
                .get("detail").asText()).contains("kept no header line");
        JsonNode all = awaitRun(replay("source=products_csv"));
        assertThat(all.get("records_read").asLong()).isZero();
        assertThat(all.get("note").asText()).contains("run " + file + ": no header line kept");
    }
}
