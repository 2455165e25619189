package com.kasparro.etl.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.kasparro.etl.support.Csv;
import com.kasparro.etl.support.EmbeddedService;
import com.kasparro.etl.support.Inbox;
import com.kasparro.etl.support.ServiceProcess;
import com.kasparro.etl.support.Sql;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged service, killed with SIGKILL twice in the middle of a 200,000-row file, each time
 * at a later point, then left to finish: every row lands exactly once, raw and rejected rows have
 * no duplicates, the file ends in .done/, and no run is left 'running'. The embedded PostgreSQL
 * left behind by each kill is found and stopped by the next start.
 */
class KillAndRestartIT {

    static final int ROWS = 200_000;
    static final int INVALID_EVERY = 100;

    @TempDir
    Path work;

    @Test
    void killedTwiceMidFileThenFinishesExactlyOnce() throws Exception {
        EmbeddedService service = new EmbeddedService(work);
        Inbox inbox = service.inbox;
        String jdbcUrl = service.jdbcUrl;

        ServiceProcess first = service.start();
        inbox.drop("products-big.csv", Csv.products("k", ROWS, INVALID_EVERY));
        long atFirstKill = awaitCommittedRows(jdbcUrl, 30_000);
        first.kill();

        ServiceProcess second = service.start();
        long atSecondKill = awaitCommittedRows(jdbcUrl, atFirstKill + 50_000);
        second.kill();
        assertThat(atSecondKill).isGreaterThan(atFirstKill).isLessThan(ROWS);

        try (ServiceProcess third = service.start()) {
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> inbox.done().contains("products-big.csv"));

            long invalid = Csv.invalidCount(ROWS, INVALID_EVERY);
            try (Connection db = DriverManager.getConnection(jdbcUrl, "postgres", "")) {
                assertThat(Sql.count(db, "SELECT count(*) FROM unified_records")).isEqualTo(ROWS - invalid);
                assertThat(Sql.count(db, "SELECT count(*) FROM raw_csv_data")).isEqualTo(ROWS);
                assertThat(Sql.count(db, "SELECT count(DISTINCT line_number) FROM raw_csv_data")).isEqualTo(ROWS);
                assertThat(Sql.count(db, "SELECT count(*) FROM rejected_rows")).isEqualTo(invalid);
                assertThat(Sql.count(db, "SELECT count(DISTINCT line_number) FROM rejected_rows")).isEqualTo(invalid);
                assertThat(Sql.count(db, "SELECT record_count FROM source_stats WHERE source = 'products_csv'"))
                        .isEqualTo(ROWS - invalid);
                assertThat(Sql.count(db, "SELECT count(*) FROM etl_runs WHERE status = 'running'")).isZero();
                assertThat(Sql.count(db, "SELECT count(*) FROM etl_runs WHERE status = 'success'")).isEqualTo(1);
                assertThat(Sql.count(db, "SELECT count(*) FROM etl_runs WHERE status = 'failed' "
                        + "AND error_message LIKE 'interrupted:%'")).isEqualTo(2);
                // The three runs together read the file once.
                assertThat(Sql.count(db, "SELECT sum(records_read) FROM etl_runs")).isEqualTo(ROWS);
                assertThat(Sql.count(db, "SELECT sum(records_inserted) FROM etl_runs")).isEqualTo(ROWS - invalid);
                assertThat(Sql.count(db, "SELECT count(*) FROM etl_runs WHERE resumed_from_line > 0")).isEqualTo(2);
            }
            assertThat(inbox.pending()).isEmpty();
            assertThat(inbox.error()).isEmpty();
        }
    }

    /** Waits until at least {@code rows} rows of the file are committed, and returns how many are. */
    private static long awaitCommittedRows(String jdbcUrl, long rows) {
        long[] seen = new long[1];
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100))
                .until(() -> (seen[0] = Sql.committedRows(jdbcUrl)) >= rows);
        return seen[0];
    }
}
