package com.kasparro.etl.ingest.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.kasparro.etl.support.Csv;
import com.kasparro.etl.support.EtlIntegrationTest;
import com.kasparro.etl.support.ServiceTestSupport;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * Files of many batches dropped at the same moment, of one source and of both: every one finishes,
 * with exact counts. No batch waits for a turn: a file's lanes are written at once, each lane's
 * batches one after the other, and batches meet only at the rows they both write, whose locks each
 * holds for its own transaction alone.
 */
@EtlIntegrationTest
@TestPropertySource(properties = {"etl.batch-size=100", "spring.datasource.hikari.maximum-pool-size=4"})
class ManyFilesTogetherTest extends ServiceTestSupport {

    private static final int ROWS = 3_000;

    @Test
    void twoLargeFilesOfOneSourceDroppedTogetherBothFinish() throws Exception {
        inbox.dropAll(java.util.Map.of(
                "products-a.csv", Csv.products("a", ROWS, 100),
                "products-b.csv", Csv.products("b", ROWS, 100)));

        awaitSuccessfulRuns(2);
        assertThat(db.count("SELECT count(*) FROM unified_records")).isEqualTo(2L * (ROWS - Csv.invalidCount(ROWS, 100)));
        assertThat(db.count("SELECT count(*) FROM raw_csv_data")).isEqualTo(2L * ROWS);
        assertThat(db.count("SELECT sum(records_read) FROM etl_runs")).isEqualTo(2L * ROWS);
        await().untilAsserted(() -> assertThat(inbox.done()).containsExactlyInAnyOrder("products-a.csv", "products-b.csv"));
    }

    @Test
    void fiveFilesOfEachSourceDroppedTogetherAllFinish() throws Exception {
        java.util.Map<String, String> files = new java.util.LinkedHashMap<>();
        for (int i = 1; i <= 5; i++) {
            files.put("products-" + i + ".csv", Csv.products("p" + i, ROWS, 100));
            files.put("vendors-" + i + ".csv", Csv.vendors("v" + i, ROWS));
        }
        inbox.dropAll(files);

        awaitSuccessfulRuns(10);
        assertThat(db.count("SELECT count(*) FROM unified_records WHERE source = 'products_csv'"))
                .isEqualTo(5L * (ROWS - Csv.invalidCount(ROWS, 100)));
        assertThat(db.count("SELECT count(*) FROM unified_records WHERE source = 'vendors_csv'")).isEqualTo(5L * ROWS);
        assertThat(db.count("SELECT count(*) FROM raw_csv_data")).isEqualTo(10L * ROWS);
        assertThat(db.count("SELECT sum(records_read) FROM etl_runs")).isEqualTo(10L * ROWS);
        assertThat(db.count("SELECT count(*) FROM etl_runs WHERE status <> 'success'")).isZero();
        await().untilAsserted(() -> assertThat(inbox.done()).hasSize(10));
    }

    @Test
    void aKeyRepeatedThroughAFileOfManyBatchesEndsWithItsLastRow() throws Exception {
        StringBuilder csv = new StringBuilder("product_id,name,category,price\n");
        for (int i = 0; i < ROWS; i++) {
            csv.append("K").append(i % 200).append(",row ").append(i).append(",c,").append(1 + i % 7).append('\n');
        }
        inbox.drop("products-repeats.csv", csv.toString());

        awaitSuccessfulRuns(1);
        assertThat(db.count("SELECT count(*) FROM unified_records")).isEqualTo(200);
        assertThat(db.count("SELECT count(*) FROM unified_records WHERE name <> 'row ' || (2800 + substr(external_id, 2)::int)"))
                .as("records not holding their key's last row").isZero();
        assertThat(db.row("SELECT records_read, records_inserted, records_updated + records_skipped AS repeats FROM etl_runs"))
                .containsEntry("records_read", (long) ROWS).containsEntry("records_inserted", 200L)
                .containsEntry("repeats", (long) ROWS - 200);
        assertThat(db.count("SELECT count(DISTINCT lane) FROM ingestion_lanes")).as("completed: lanes forgotten").isZero();
    }

    private void awaitSuccessfulRuns(int runs) {
        await().atMost(Duration.ofSeconds(120))
                .until(() -> db.count("SELECT count(*) FROM etl_runs WHERE status = 'success'") == runs);
    }
}
