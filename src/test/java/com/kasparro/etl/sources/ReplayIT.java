package com.kasparro.etl.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kasparro.etl.support.EmbeddedService;
import com.kasparro.etl.support.ServiceProcess;
import com.kasparro.etl.support.Sql;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fix, then replay, as a user does it with the packaged jar: rows of a configured source are
 * rejected for a rule; the rule is relaxed in {@code config/application.yml} and the service
 * restarted; a replay loads exactly those rows as one run with trigger replay, while a new file of
 * the same source lands at the same time, and a second replay loads nothing. The rows that still
 * fail come back as CSV under their file's header, are fixed by hand and dropped back.
 */
class ReplayIT {

    static final String TOKEN = "replay-admin-token";
    static final String HEADER = "order_no,customer,status,total";
    static final int PASSING_BEFORE = 1000;
    static final int FAILING_THEN_PASSING = 2000;
    static final int NEW_FILE = 30_000;

    @TempDir
    Path work;

    final ObjectMapper json = new ObjectMapper();
    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void rowsRejectedForARuleAreLoadedOnceTheRuleIsRelaxedAndTheRestComeBackAsCsv() throws Exception {
        EmbeddedService service = new EmbeddedService(work, "--etl.admin-token=" + TOKEN);
        Path config = Files.createDirectories(service.workDir().resolve("config")).resolve("application.yml");
        Files.writeString(config, configuration("min-exclusive: 0"));

        StringBuilder first = new StringBuilder(HEADER).append('\n');
        for (int i = 1; i <= PASSING_BEFORE; i++) {
            first.append("o").append(i).append(",Ann,open,5\n");
        }
        for (int i = 1; i <= FAILING_THEN_PASSING; i++) {
            first.append("n").append(i).append(",\"Bob, Jr\",OPEN,-").append(i % 100 + 1).append('\n');
        }
        first.append("x1,Cy,open,-101\n").append("y1,Dee,open,abc\n");
        long fileRun;
        try (ServiceProcess process = service.start()) {
            service.inbox.drop("orders-1.csv", first.toString());
            await().atMost(Duration.ofSeconds(120)).until(() -> service.inbox.done().size() == 1);
            String base = process.baseUrl();
            JsonNode run = get(base, "/runs?source=orders_csv").at("/items/0");
            fileRun = run.get("id").asLong();
            assertThat(run.get("records_inserted").asLong()).isEqualTo(PASSING_BEFORE);
            assertThat(run.get("records_rejected").asLong()).isEqualTo(FAILING_THEN_PASSING + 2);
            assertThat(get(base, "/rejections?source=orders_csv&limit=1").at("/items/0/reason").asText())
                    .isEqualTo("total must be greater than 0: '-2'");
        }

        Files.writeString(config, configuration("min-inclusive: -100"));
        try (ServiceProcess process = service.start();
             Connection db = DriverManager.getConnection(service.jdbcUrl, "postgres", "")) {
            String base = process.baseUrl();
            StringBuilder second = new StringBuilder(HEADER).append('\n');
            for (int i = 1; i <= NEW_FILE; i++) {
                second.append("c").append(i).append(",Eve,new,").append(i).append('\n');
            }
            // A new file of the same source and the replay at the same time: the replay starts while
            // the file's batches are being written.
            service.inbox.drop("orders-2.csv", second.toString());
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> Sql.count(db,
                    "SELECT count(*) FROM etl_runs WHERE file_name = 'orders-2.csv' AND status = 'running'"
                            + " AND records_read > 0") == 1);
            long replay = replay(base, "source=orders_csv");
            JsonNode replayed = awaitRun(base, replay);
            await().atMost(Duration.ofSeconds(120)).until(() -> service.inbox.done().size() == 2);
            await().atMost(Duration.ofSeconds(30)).until(() -> Sql.count(db,
                    "SELECT count(*) FROM etl_runs WHERE status = 'running'") == 0);

            assertThat(Sql.count(db, "SELECT count(*) FROM etl_runs f, etl_runs r WHERE f.file_name = 'orders-2.csv'"
                    + " AND r.id = " + replay + " AND r.started_at < f.finished_at")).as("the two runs overlapped")
                    .isEqualTo(1);
            assertThat(replayed.get("status").asText()).isEqualTo("success");
            assertThat(replayed.get("trigger").asText()).isEqualTo("replay");
            assertThat(replayed.get("records_read").asLong()).isEqualTo(FAILING_THEN_PASSING + 2);
            assertThat(replayed.get("records_inserted").asLong()).isEqualTo(FAILING_THEN_PASSING);
            assertThat(replayed.get("records_rejected").asLong()).isEqualTo(2);
            long expected = PASSING_BEFORE + FAILING_THEN_PASSING + NEW_FILE;
            assertThat(Sql.count(db, "SELECT count(*) FROM unified_records WHERE source = 'orders_csv'"))
                    .as("nothing lost").isEqualTo(expected);
            assertThat(Sql.count(db, "SELECT count(DISTINCT external_id) FROM unified_records WHERE source = 'orders_csv'"))
                    .as("nothing duplicated").isEqualTo(expected);
            assertThat(get(base, "/stats").at("/records_by_source/orders_csv").asLong()).isEqualTo(expected);
            assertThat(get(base, "/records/orders_csv/n7").get("value").decimalValue()).isEqualByComparingTo("-8");
            assertThat(Sql.count(db, "SELECT count(*) FROM rejected_rows WHERE run_id = " + fileRun
                    + " AND resolved_by_run = " + replay)).isEqualTo(FAILING_THEN_PASSING);
            assertThat(get(base, "/rejections?source=orders_csv&resolved=true").get("total").asLong())
                    .isEqualTo(FAILING_THEN_PASSING);
            assertThat(get(base, "/rejections?resolved=false&run_id=" + fileRun).get("items").findValuesAsText("raw_text"))
                    .containsExactly("x1,Cy,open,-101", "y1,Dee,open,abc");
            assertThat(get(base, "/rejections?run_id=" + replay).get("items").findValuesAsText("reason"))
                    .containsExactly("total must be at least -100: '-101'", "total is not a decimal number: 'abc'");
            assertThat(Files.readString(process.log())).contains("replay started").contains("replay done: 2002 row(s)");

            JsonNode again = awaitRun(base, replay(base, "source=orders_csv&run_id=" + fileRun));
            assertThat(again.get("records_read").asLong()).as("only the two rows that still fail").isEqualTo(2);
            assertThat(again.get("records_inserted").asLong() + again.get("records_updated").asLong()).isZero();
            assertThat(Sql.count(db, "SELECT count(*) FROM unified_records WHERE source = 'orders_csv'"))
                    .isEqualTo(expected);

            HttpResponse<String> download = http.send(HttpRequest.newBuilder(URI.create(base
                    + "/rejections.csv?source=orders_csv&run_id=" + fileRun)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(download.statusCode()).as(download.body()).isEqualTo(200);
            assertThat(download.body()).isEqualTo(HEADER + "\nx1,Cy,open,-101\ny1,Dee,open,abc\n");
            String name = download.headers().firstValue("Content-Disposition").orElseThrow()
                    .replaceAll(".*filename=\"([^\"]+)\".*", "$1");
            assertThat(name).isEqualTo("orders-1-rejected.csv");
            service.inbox.drop(name, download.body().replace("-101", "101").replace("abc", "12"));
            await().atMost(Duration.ofSeconds(60)).until(() -> service.inbox.done().size() == 3);
            assertThat(get(base, "/records/orders_csv/x1").get("value").decimalValue()).isEqualByComparingTo("101");
            assertThat(get(base, "/records/orders_csv/y1").get("value").decimalValue()).isEqualByComparingTo("12");
            assertThat(Sql.count(db, "SELECT count(*) FROM unified_records WHERE source = 'orders_csv'"))
                    .isEqualTo(expected + 2);
        }
    }

    private static String configuration(String rule) {
        return """
                etl:
                  sources:
                    orders_csv:
                      kind: csv
                      files: "orders*.csv"
                      fields:
                        external_id: { column: order_no }
                        name:        { column: customer }
                        category:    { column: status, transform: lower }
                        value:       { column: total, type: decimal, %s }
                """.formatted(rule);
    }

    private long replay(String base, String query) throws Exception {
        HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(URI.create(base + "/rejections/replay?" + query))
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        return json.readTree(accepted.body()).get("run_id").asLong();
    }

    private JsonNode awaitRun(String base, long runId) {
        return await().atMost(Duration.ofSeconds(120)).until(() -> get(base, "/runs/" + runId),
                run -> !"running".equals(run.get("status").asText()));
    }

    private JsonNode get(String base, String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }
}
