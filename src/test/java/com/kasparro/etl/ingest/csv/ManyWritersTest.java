package com.kasparro.etl.ingest.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.kasparro.etl.config.EtlProperties;
import com.kasparro.etl.support.Csv;
import com.kasparro.etl.support.EtlIntegrationTest;
import com.kasparro.etl.support.Inbox;
import com.kasparro.etl.support.TestDatabase;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * Both CSV sources at once, each with six writers, on exactly the pool that ConnectionBudget asks
 * for (2 x 6 + 2 = 14). Without that check, a pool of 7 stalled for good here: the batches waiting
 * for their turn held every connection, and the batch whose turn it was could get none. (With 10 it
 * finished in the one run tried: whether it stalls depends on which batches get a connection
 * first, so this test shows the minimum working, not that one less would fail.) A pool below the
 * minimum refuses to start: SettingsValidationTest.
 */
@EtlIntegrationTest
@TestPropertySource(properties = {"etl.batch-size=50", "etl.batch-writers=6",
        "spring.datasource.hikari.maximum-pool-size=14"})
class ManyWritersTest {

    @Autowired
    JdbcTemplate jdbcTemplate;
    @Autowired
    EtlProperties properties;

    @Test
    void twoFilesWithManyWritersFinishOnThePoolTheBudgetAsksFor() throws Exception {
        TestDatabase db = new TestDatabase(jdbcTemplate);
        db.reset();
        Inbox inbox = new Inbox(properties.inbox().path()).clear();
        int rows = 10_000;

        inbox.drop("products-many.csv", Csv.products("m", rows, 100));
        inbox.drop("vendors-many.csv", Csv.vendors("v", rows));

        await().atMost(Duration.ofSeconds(120))
                .until(() -> db.count("SELECT count(*) FROM etl_runs WHERE status = 'success'") == 2);
        assertThat(db.count("SELECT count(*) FROM unified_records WHERE source = 'products_csv'"))
                .isEqualTo(rows - Csv.invalidCount(rows, 100));
        assertThat(db.count("SELECT count(*) FROM unified_records WHERE source = 'vendors_csv'")).isEqualTo(rows);
        assertThat(db.count("SELECT count(*) FROM raw_csv_data")).isEqualTo(2L * rows);
        assertThat(db.count("SELECT sum(records_read) FROM etl_runs")).isEqualTo(2L * rows);
    }
}
