package com.kasparro.etl.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.kasparro.etl.support.Csv;
import com.kasparro.etl.support.EtlIntegrationTest;
import com.kasparro.etl.support.LogCapture;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * A batch whose commit the service saw succeed is not in the database: what a crash of PostgreSQL
 * leaves when batches commit asynchronously (BatchCommitMode) and the last ones had not reached the
 * disk, made exact for the third batch ({@link #loseAcknowledgedBatchAt}). The next batch then does
 * not continue from the stored checkpoint, and the file resumes after it in a new run: every row
 * lands once.
 */
@EtlIntegrationTest
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@TestPropertySource(properties = "etl.batch-size=200")
class LostCommitTest extends DatabaseFaultTestSupport {

    private static final int ROWS = 2_000;
    private static final int INVALID_EVERY = 50;

    @Autowired
    MeterRegistry meters;

    @Test
    void aBatchTheDatabaseLostAfterAcknowledgingItIsWrittenAgainByAResumedRun() throws Exception {
        AtomicLong lostInRun = loseAcknowledgedBatchAt(402);

        double lostBefore = lostLines();
        try (LogCapture logs = LogCapture.attach()) {
            inbox.drop("products-lost.csv", Csv.products("lost", ROWS, INVALID_EVERY));

            assertLandedExactlyOnceAcrossRuns(db, inbox, "products-lost.csv", ROWS, INVALID_EVERY);
            assertThat(lostInRun.get()).isNotZero();
            assertThat(logs.messages()).filteredOn(m -> m.contains("lost batches")).containsExactly(
                    "products-lost.csv: the batch of lines 602-801 continues from line 601, but the stored checkpoint "
                            + "is at line 401; the database lost batches it had acknowledged, the file resumes after "
                            + "line 401");
        }
        List<Map<String, Object>> runs = db.rows("SELECT status, resumed_from_line, error_message FROM etl_runs ORDER BY id");
        assertThat(runs).hasSize(2);
        assertThat(runs.get(0)).containsEntry("status", "failed");
        assertThat((String) runs.get(0).get("error_message")).startsWith("interrupted: the database lost batches");
        assertThat(runs.get(1)).containsEntry("status", "success").containsEntry("resumed_from_line", 401L);
        assertThat(lostLines() - lostBefore).as("lines 402-601, counted in etl_records_total twice").isEqualTo(200);
    }

    private double lostLines() {
        return meters.get("etl.lines.lost").tag("source", "products_csv").counter().count();
    }
}
