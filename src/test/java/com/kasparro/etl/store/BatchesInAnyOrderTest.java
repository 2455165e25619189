package com.kasparro.etl.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.kasparro.etl.support.EtlIntegrationTest;
import com.kasparro.etl.support.ServiceTestSupport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A file's batches are written on several connections and commit in any order. Whatever the order,
 * a file's last row for a key wins, each batch's lines are stored once, and the lines the committed
 * batches cover say exactly what a resumed run still has to write.
 */
@EtlIntegrationTest
class BatchesInAnyOrderTest extends ServiceTestSupport {

    private static final String SOURCE = "products_csv";
    private static final String FILE = "products-order.csv";
    private static final String KEY = "sha-of-products-order";

    @Autowired
    BatchWriter writer;
    @Autowired
    RunRepository runs;

    private long runId;

    @BeforeEach
    void startARun() {
        runId = runs.start(SOURCE, "file", FILE, KEY, 1000L, null, Instant.parse("2026-12-05T08:00:00Z"), false);
    }

    @Test
    void aLaterRowOfTheFileWinsEvenWhenItsBatchCommitsFirst() {
        Batch early = batch(0, 3, row(2, "k", "early"), row(3, "a", "a1"));
        Batch late = batch(3, 5, row(4, "k", "late"), row(5, "b", "b1"));

        WriteResult lateResult = writer.write(late);
        WriteResult earlyResult = writer.write(early);

        assertThat(nameOf("k")).isEqualTo("late");
        assertThat(lateResult.inserted()).isEqualTo(2);
        assertThat(earlyResult.inserted()).as("a").isEqualTo(1);
        assertThat(earlyResult.skipped()).as("the earlier row of k").isEqualTo(1);
        assertThat(db.row("SELECT records_read, records_inserted, records_updated, records_skipped FROM etl_runs"))
                .containsEntry("records_read", 4L).containsEntry("records_inserted", 3L)
                .containsEntry("records_updated", 0L).containsEntry("records_skipped", 1L);
    }

    @Test
    void aLaterRowThatRepeatsTheStoredContentStillKeepsAnEarlierDifferentRowOut() {
        // k is "same" on lines 2 and 22 and "other" on line 12; the batch of line 12 commits last.
        writer.write(batch(0, 2, row(2, "k", "same")));
        WriteResult repeat = writer.write(batch(12, 22, row(22, "k", "same")));
        WriteResult other = writer.write(batch(2, 12, row(12, "k", "other")));

        assertThat(nameOf("k")).isEqualTo("same");
        assertThat(repeat.updated()).as("the same content again is no update").isZero();
        assertThat(other.updated()).as("an earlier row loses to the later one").isZero();
        assertThat(db.row("SELECT records_inserted, records_updated, records_skipped FROM etl_runs"))
                .containsEntry("records_inserted", 1L).containsEntry("records_updated", 0L)
                .containsEntry("records_skipped", 2L);
    }

    @Test
    void aBatchWrittenAgainAfterItCommittedWritesNothing() {
        Batch first = batch(0, 3, row(2, "x", "x1"), row(3, "y", "y1"));
        writer.write(first);

        WriteResult again = writer.write(first);

        assertThat(again.alreadyWritten()).isTrue();
        assertThat(db.count("SELECT count(*) FROM raw_csv_data")).isEqualTo(2);
        assertThat(db.row("SELECT records_read, records_inserted FROM etl_runs"))
                .containsEntry("records_read", 2L).containsEntry("records_inserted", 2L);
    }

    @Test
    void theCommittedLinesShowTheGapABatchNotYetCommittedLeaves() {
        writer.write(batch(0, 3, row(2, "a", "a"), row(3, "b", "b")));
        writer.write(batch(5, 7, row(6, "e", "e"), row(7, "f", "f")));

        CommittedLines committed = runs.committedLines(SOURCE, KEY);
        assertThat(committed.unbrokenTo()).isEqualTo(3);
        assertThat(committed.hasGap()).isTrue();

        writer.write(batch(3, 5, row(4, "c", "c"), row(5, "d", "d")));
        CommittedLines whole = runs.committedLines(SOURCE, KEY);
        assertThat(whole.unbrokenTo()).isEqualTo(7);
        assertThat(whole.hasGap()).isFalse();
        assertThat(db.row("SELECT last_line, rows_read FROM ingestion_checkpoints"))
                .containsEntry("last_line", 7L).containsEntry("rows_read", 6L);
    }

    private String nameOf(String externalId) {
        return jdbcTemplate.queryForObject("SELECT name FROM unified_records WHERE source = ? AND external_id = ?",
                String.class, SOURCE, externalId);
    }

    private Batch batch(long previousLine, long lastLine, UnifiedRecord... rows) {
        List<Batch.RawRow> raw = new ArrayList<>();
        for (UnifiedRecord r : rows) {
            raw.add(new Batch.RawRow(r.line(), "{\"product_id\":\"" + r.externalId() + "\"}"));
        }
        return new Batch(SOURCE, runId, FILE, KEY, previousLine, lastLine, lastLine * 10, rows.length, raw,
                List.of(rows), List.of());
    }

    private static UnifiedRecord row(long line, String externalId, String name) {
        return new UnifiedRecord(line, externalId, name, "c", null, null, null, "{}", "hash-of-" + name);
    }
}
