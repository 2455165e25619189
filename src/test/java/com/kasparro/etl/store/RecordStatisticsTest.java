package com.kasparro.etl.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.kasparro.etl.support.EtlIntegrationTest;
import com.kasparro.etl.support.LogCapture;
import com.kasparro.etl.support.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/** When the service analyses unified_records itself: after a run that inserted a tenth of the records or more. */
@EtlIntegrationTest
class RecordStatisticsTest {

    @Autowired
    NamedParameterJdbcTemplate jdbc;
    @Autowired
    JdbcTemplate jdbcTemplate;
    @Autowired
    RunRepository runs;
    @Autowired
    DataSource dataSource;

    TestDatabase db;
    RecordStatistics statistics;

    @BeforeEach
    void reset() {
        db = new TestDatabase(jdbcTemplate);
        db.reset();
        forgetStatistics();
        statistics = new RecordStatistics(jdbc);
    }

    @Test
    void aRunThatInsertedATenthOfTheRecordsLeavesStatisticsAndASmallerOneDoesNot() {
        long large = load("a", 900);
        long small = load("b", 90); // 90 of 990: less than a tenth
        assertThat(statistics.present()).isFalse();

        statistics.refreshAfter(small);
        assertThat(statistics.present()).as("not analysed after the small run").isFalse();

        statistics.refreshAfter(large);
        assertThat(statistics.present()).as("analysed after the large run").isTrue();
    }

    @Test
    void aRunThatInsertedNothingIsNotFollowedByAnAnalyse() {
        load("a", 100);
        long none = runs.start("products_csv", "file", "none.csv", "hash-none", 1L, null);

        statistics.refreshAfter(none);

        assertThat(statistics.present()).isFalse();
    }

    @Test
    void aTableSomeoneElseIsVacuumingOrAnalysingIsSkippedWithoutWaiting() throws Exception {
        long large = load("a", 500);
        try (Connection other = dataSource.getConnection(); Statement lock = other.createStatement();
             LogCapture logs = LogCapture.attach()) {
            other.setAutoCommit(false);
            // The lock a VACUUM or an ANALYZE holds, in another transaction.
            lock.execute("LOCK TABLE unified_records IN SHARE UPDATE EXCLUSIVE MODE");

            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> statistics.refreshAfter(large));

            assertThat(statistics.present()).isFalse();
            assertThat(logs.messages()).anyMatch(m -> m.startsWith("Did not analyse unified_records")
                    && m.contains("500 of its 500 records"));
            other.rollback();
        }
    }

    /** {@code n} records inserted by a new run, with the run's and the source's counts as the merge keeps them. */
    private long load(String prefix, int n) {
        long run = runs.start("products_csv", "file", prefix + ".csv", "hash-" + prefix, 1L, null);
        jdbcTemplate.update("INSERT INTO unified_records (source, external_id, name, content_hash, first_run_id, "
                + "last_run_id) SELECT 'products_csv', ? || g, 'name', 'h', ?, ? FROM generate_series(1, ?) g",
                prefix, run, run, n);
        jdbcTemplate.update("UPDATE etl_runs SET records_inserted = ? WHERE id = ?", n, run);
        jdbcTemplate.update("UPDATE source_stats SET record_count = record_count + ? WHERE source = 'products_csv'", n);
        return run;
    }

    private void forgetStatistics() {
        jdbcTemplate.execute("DELETE FROM pg_statistic WHERE starelid = CAST('unified_records' AS regclass)");
    }
}
