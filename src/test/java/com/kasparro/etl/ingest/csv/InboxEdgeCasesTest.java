package com.kasparro.etl.ingest.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.kasparro.etl.ingest.inbox.Arrivals;
import com.kasparro.etl.support.EtlIntegrationTest;
import com.kasparro.etl.support.ServiceTestSupport;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Files that are odd, broken or hostile: each gets a clear record, and nothing else is lost. */
@EtlIntegrationTest
class InboxEdgeCasesTest extends ServiceTestSupport {

    static final String HEADER = "product_id,name,category,price\n";



    @Test
    void anEmptyFileIsAFailedRunInError() throws Exception {
        inbox.drop("products-empty.csv", "");
        assertFailedIntoError("products-empty.csv", "empty file: no header row");
    }

    @Test
    void aHeaderOnlyFileIsASuccessWithNoRows() throws Exception {
        inbox.drop("products-header.csv", "product_id,name,category,price\r\n");
        Map<String, Object> run = awaitRun("products-header.csv");
        assertThat(run).containsEntry("status", "success").containsEntry("records_read", 0L);
        await().untilAsserted(() -> assertThat(inbox.done()).containsExactly("products-header.csv"));
    }

    @Test
    void aMissingRequiredColumnIsAFailedRunInError() throws Exception {
        inbox.drop("vendors.csv", "vendor_id,product_name,amount\nA1,Desk,1\n");
        assertFailedIntoError("vendors.csv", "required column(s) missing: group (header: vendor_id, product_name, amount)");
        assertThat(db.count("SELECT count(*) FROM unified_records")).isZero();
    }

    @Test
    void duplicateHeaderNamesAreAFailedRunInError() throws Exception {
        inbox.drop("products.csv", "product_id,name,category,price, PRICE \n1,a,b,2,3\n");
        assertFailedIntoError("products.csv", "duplicate column name(s) in header: price");
    }

    @Test
    void aBinaryFileNamedLikeACsvIsAFailedRunInError() throws Exception {
        byte[] zip = new byte[4096];
        new java.util.Random(7).nextBytes(zip);
        zip[0] = 'P';
        zip[1] = 'K';
        zip[10] = 0;
        inbox.drop("products.csv", zip);
        assertFailedIntoError("products.csv", "not a CSV text file: binary content (");
    }

    @Test
    void aTenMegabyteSingleLineIsRefusedWithoutRunningOutOfMemory() throws Exception {
        inbox.drop("products-huge.csv", "x".repeat(10 * 1024 * 1024));
        Map<String, Object> run = assertFailedIntoError("products-huge.csv",
                "the header line is longer than 65536 bytes (etl.inbox.max-header-length)");
        assertThat(((String) run.get("error_message")).length()).isLessThan(400);
    }

    @Test
    void aHeaderWithMoreColumnsThanTheLimitIsAFailedRunInError() throws Exception {
        StringBuilder header = new StringBuilder("product_id,name,category,price");
        for (int i = 0; i < 1_000; i++) {
            header.append(",extra_").append(i);
        }
        inbox.drop("products-wide.csv", header + "\n1,a,b,2\n");
        assertFailedIntoError("products-wide.csv", "the header has 1004 columns, more than 1000 (etl.inbox.max-columns)");
    }

    @Test
    void aStrayNulByteCostsOneRowStoredLosslessly() throws Exception {
        String bad = "6,Bad\0Name\\x,Cat,6";
        String text = HEADER + "1,A,Cat,1\n2,B,Cat,2\n3,C,Cat,3\n" + bad + "\n4,D,Cat,4\n5,E,Cat,5\n7,G\u0001,Cat,7\n";
        inbox.drop("products-nul.csv", text);
        assertThat(awaitRun("products-nul.csv")).containsEntry("status", "success")
                .containsEntry("records_inserted", 5L).containsEntry("records_rejected", 2L);
        assertThat(db.rows("SELECT line_number, reason, raw_text_escaped FROM rejected_rows ORDER BY line_number"))
                .extracting(r -> r.get("line_number") + " " + r.get("reason") + " " + r.get("raw_text_escaped"))
                .containsExactly("5 NUL character in column name true", "8 control character U+0001 in column name false");
        // raw_text holds \0 for NUL and \\ for a backslash: undone, it is the line exactly.
        String stored = (String) db.row("SELECT raw_text FROM rejected_rows WHERE line_number = 5").get("raw_text");
        assertThat(stored).isEqualTo("6,Bad\\0Name\\\\x,Cat,6");
        assertThat(unescape(stored)).isEqualTo(bad);
        await().untilAsserted(() -> assertThat(inbox.done()).containsExactly("products-nul.csv"));
    }

    /** The inverse of the NUL escaping that rejected_rows.raw_text_escaped announces. */
    private static String unescape(String escaped) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            if (c == '\\' && i + 1 < escaped.length()) {
                char next = escaped.charAt(++i);
                out.append(next == '0' ? '\0' : next);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    @Test
    void invalidUtf8InAFieldRejectsThatRowOnly() throws Exception {
        byte[] a = (HEADER + "1,Caf").getBytes(StandardCharsets.UTF_8);
        byte[] b = ",x,1\n2,Ok,x,2\n".getBytes(StandardCharsets.UTF_8);
        byte[] content = new byte[a.length + 1 + b.length];
        System.arraycopy(a, 0, content, 0, a.length);
        content[a.length] = (byte) 0xE9;
        System.arraycopy(b, 0, content, a.length + 1, b.length);
        inbox.drop("products.csv", content);
        assertThat(awaitRun("products.csv")).containsEntry("status", "success")
                .containsEntry("records_inserted", 1L).containsEntry("records_rejected", 1L);
        assertThat(db.row("SELECT line_number, raw_text, reason FROM rejected_rows"))
                .containsEntry("line_number", 2L)
                .containsEntry("raw_text", "1,Caf\uFFFD,x,1")
                .containsEntry("reason", "invalid UTF-8 byte sequence in column name");
    }

    @Test
    void aHundredThousandInvalidRowsAreAllRecorded() throws Exception {
        StringBuilder text = new StringBuilder(HEADER);
        for (int i = 0; i < 100_000; i++) {
            text.append(i).append(",item,cat,free\n");
        }
        text.append("ok,valid,cat,1\n");
        inbox.drop("products-bad.csv", text.toString());
        Map<String, Object> run = awaitRun("products-bad.csv", Duration.ofMinutes(2));
        assertThat(run).containsEntry("status", "success").containsEntry("records_read", 100_001L)
                .containsEntry("records_rejected", 100_000L).containsEntry("records_inserted", 1L);
        assertThat(db.count("SELECT count(*) FROM rejected_rows")).isEqualTo(100_000);
        assertThat(db.count("SELECT count(DISTINCT line_number) FROM rejected_rows")).isEqualTo(100_000);
        assertThat(db.row("SELECT min(line_number) AS lo, max(line_number) AS hi FROM rejected_rows"))
                .containsEntry("lo", 2L).containsEntry("hi", 100_001L);
    }

    @Test
    void aReadLockMarkerLeftByAKilledReplicaNeitherStrandsItsFileNorLetsANewerFileOvertakeIt() throws Exception {
        // What a replica killed in the middle of products-a-orphan.csv leaves on the shared inbox.
        Path marker = Files.writeString(inbox.dir().resolve("products-a-orphan.csv.camelLock"), "");
        try {
            inbox.drop("products-a-orphan.csv", HEADER + "K1,older,c,1\n");
            inbox.drop("products-b-later.csv", HEADER + "K1,newer,c,2\n");
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(inbox.done())
                    .containsExactlyInAnyOrder("products-a-orphan.csv", "products-b-later.csv"));
            assertThat(db.count("SELECT count(*) FROM unified_records WHERE external_id = 'K1' AND name = 'newer'"))
                    .as("the later drop wins").isEqualTo(1);
        } finally {
            Files.deleteIfExists(marker);
        }
    }

    @Test
    void aFileWhoseRunCompletedButWhichAStopKeptFromDoneIsNotLoadedAgain() throws Exception {
        inbox.drop("products-once.csv", HEADER + "1,A,c,1\n2,B,c,2\nx,,c,3\n");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(inbox.done()).contains("products-once.csv"));
        // What a kill between the run's completion and the move to .done/ leaves: the same drop in the
        // inbox (the arrival its run recorded; moving it back gives it a new one, which the run takes),
        // and no completed-file key.
        jdbcTemplate.update("DELETE FROM camel_messageprocessed");
        Path back = Files.move(inbox.dir().resolve(".done/products-once.csv"), inbox.dir().resolve("products-once.csv"));
        jdbcTemplate.update("UPDATE etl_runs SET input_at = ? WHERE file_name = 'products-once.csv'",
                java.sql.Timestamp.from(Arrivals.of(back).at()));

        await().atMost(Duration.ofSeconds(60)).until(() -> db.count(
                "SELECT count(*) FROM etl_runs WHERE file_name = 'products-once.csv' AND status = 'success'") == 2);
        assertThat(db.row("SELECT note FROM etl_runs WHERE file_name = 'products-once.csv' ORDER BY id DESC LIMIT 1")
                .get("note").toString()).startsWith("identical content already ingested");
        assertThat(db.count("SELECT count(*) FROM raw_csv_data WHERE file_name = 'products-once.csv'")).isEqualTo(3);
        assertThat(db.count("SELECT count(*) FROM rejected_rows WHERE file_name = 'products-once.csv'")).isEqualTo(1);
    }

    @Test
    void aFileStillBeingWrittenIsReadOnlyOnceComplete() throws Exception {
        Path file = inbox.dir().resolve("products-slow.csv");
        int chunks = 12;
        AtomicInteger written = new AtomicInteger();
        ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor();
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(HEADER.getBytes(StandardCharsets.UTF_8));
            out.flush();
            // A slow writer: 10 rows every 150 ms, under the file's final name.
            writer.scheduleAtFixedRate(() -> {
                try {
                    int chunk = written.get();
                    if (chunk < chunks) {
                        StringBuilder rows = new StringBuilder();
                        for (int i = 0; i < 10; i++) {
                            int id = chunk * 10 + i;
                            rows.append(id).append(",n").append(id).append(",c,").append(id + 1).append('\n');
                        }
                        out.write(rows.toString().getBytes(StandardCharsets.UTF_8));
                        out.flush();
                        written.incrementAndGet();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, 0, 150, TimeUnit.MILLISECONDS);
            await().atMost(Duration.ofSeconds(20)).until(() -> written.get() == chunks);
            assertThat(db.count("SELECT count(*) FROM etl_runs")).as("no run while the file grows").isZero();
        } finally {
            writer.shutdownNow();
        }
        Map<String, Object> run = awaitRun("products-slow.csv");
        assertThat(run).containsEntry("status", "success").containsEntry("records_read", 120L)
                .containsEntry("records_inserted", 120L);
    }

    private Map<String, Object> assertFailedIntoError(String name, String reason) throws Exception {
        Map<String, Object> run = awaitRun(name);
        assertThat(run).containsEntry("status", "failed");
        assertThat((String) run.get("error_message")).startsWith(reason);
        await().untilAsserted(() -> assertThat(inbox.error()).containsExactly(name));
        assertThat(inbox.pending()).isEmpty();
        return run;
    }

    private Map<String, Object> awaitRun(String fileName) {
        return awaitRun(fileName, Duration.ofSeconds(30));
    }

    private Map<String, Object> awaitRun(String fileName, Duration timeout) {
        await().atMost(timeout).until(() -> db.count(
                "SELECT count(*) FROM etl_runs WHERE file_name = ? AND status <> 'running'", fileName) == 1);
        return db.row("SELECT * FROM etl_runs WHERE file_name = ?", fileName);
    }
}
