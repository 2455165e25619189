package com.kasparro.etl.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kasparro.etl.support.EtlIntegrationTest;
import com.kasparro.etl.support.ServiceTestSupport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A file's lanes are written at the same time, each one batch after the other: each lane keeps its
 * own checkpoint, a batch continues only its own lane's, and a file keeps the lane count its first
 * batch had.
 */
@EtlIntegrationTest
class FileLanesTest extends ServiceTestSupport {

    private static final String SOURCE = "products_csv";
    private static final String FILE = "products-lanes.csv";
    private static final String KEY = "sha-of-products-lanes";

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
    void eachLaneMovesItsOwnCheckpointWhicheverCommitsFirst() {
        writer.write(batch(1, 0, 5, row(3, "b"), row(5, "d")));
        writer.write(batch(0, 0, 4, row(2, "a"), row(4, "c")));
        writer.write(batch(1, 5, 7, row(7, "f")));

        LaneCheckpoints lanes = runs.laneCheckpoints(SOURCE, KEY, 3);
        assertThat(lanes.lanes()).as("the file's own count, not the default").isEqualTo(2);
        assertThat(lanes.lastLine(0)).isEqualTo(4);
        assertThat(lanes.lastLine(1)).isEqualTo(7);
        assertThat(lanes.everyLaneTo()).isEqualTo(4);
        assertThat(db.row("SELECT last_line, rows_read FROM ingestion_checkpoints"))
                .containsEntry("last_line", 7L).containsEntry("rows_read", 5L);
        assertThat(db.row("SELECT records_read, records_inserted FROM etl_runs"))
                .containsEntry("records_read", 5L).containsEntry("records_inserted", 5L);
    }

    @Test
    void aBatchWrittenAgainAfterItCommittedWritesNothing() {
        Batch first = batch(0, 0, 4, row(2, "a"), row(4, "c"));
        writer.write(first);

        WriteResult again = writer.write(first);

        assertThat(again.alreadyWritten()).isTrue();
        assertThat(db.count("SELECT count(*) FROM raw_csv_data")).isEqualTo(2);
        assertThat(db.row("SELECT records_read FROM etl_runs")).containsEntry("records_read", 2L);
    }

    @Test
    void aBatchWhoseLaneIsBehindItIsRefusedAndWritesNothing() {
        writer.write(batch(0, 0, 4, row(2, "a"), row(4, "c")));

        assertThatThrownBy(() -> writer.write(batch(0, 8, 10, row(10, "e"))))
                .isInstanceOf(CheckpointBehindException.class);
        assertThatThrownBy(() -> writer.write(batch(1, 3, 5, row(5, "d"))))
                .as("lane 1 has no checkpoint yet").isInstanceOf(CheckpointBehindException.class);
        assertThat(db.count("SELECT count(*) FROM raw_csv_data")).isEqualTo(2);
    }

    @Test
    void aBatchCountingTheFilesLanesOtherwiseIsRefused() {
        writer.write(batch(0, 0, 4, row(2, "a"), row(4, "c")));

        Batch ofThreeLanes = new Batch(SOURCE, runId, FILE, KEY, 0, 3, 30, 1,
                List.of(new Batch.RawRow(3, "{}")), List.of(row(3, "b")), List.of(), List.of(), null, new Lane(1, 3));
        assertThatThrownBy(() -> writer.write(ofThreeLanes)).isInstanceOf(CheckpointBehindException.class);
        assertThat(db.count("SELECT count(*) FROM unified_records")).isEqualTo(2);
    }

    private Batch batch(int lane, long previousLine, long lastLine, UnifiedRecord... rows) {
        List<Batch.RawRow> raw = new ArrayList<>();
        for (UnifiedRecord r : rows) {
            raw.add(new Batch.RawRow(r.line(), "{\"product_id\":\"" + r.externalId() + "\"}"));
        }
        return new Batch(SOURCE, runId, FILE, KEY, previousLine, lastLine, lastLine * 10, rows.length, raw,
                List.of(rows), List.of(), List.of(), null, new Lane(lane, 2));
    }

    private static UnifiedRecord row(long line, String externalId) {
        return new UnifiedRecord(line, externalId, "name " + externalId, "c", null, null, null, "{}", "hash-" + externalId);
    }
}
