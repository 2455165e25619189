package com.kasparro.etl.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.kasparro.etl.support.Csv;
import com.kasparro.etl.support.EmbeddedService;
import com.kasparro.etl.support.Inbox;
import com.kasparro.etl.support.ServiceProcess;
import com.kasparro.etl.support.Sql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM in the middle of a large file, as a rolling update sends it: reading stops at the next
 * batch boundary, the process exits well within its shutdown time-out, the file stays in the inbox
 * (never .error/), the run is closed as interrupted, and the next start resumes after the
 * checkpoint: every row lands exactly once.
 */
class GracefulStopIT {

    static final int ROWS = 300_000;
    static final int INVALID_EVERY = 100;

    @TempDir
    Path work;

    @Test
    void aStopMidFileLeavesTheFileToResumeAndExitsQuickly() throws Exception {
        EmbeddedService service = new EmbeddedService(work);
        Inbox inbox = service.inbox;
        String jdbcUrl = service.jdbcUrl;

        ServiceProcess first = service.start();
        inbox.drop("products-big.csv", Csv.products("g", ROWS, INVALID_EVERY));
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100))
                .until(() -> Sql.committedRows(jdbcUrl) >= 20_000);

        Duration exit = first.terminate(Duration.ofSeconds(60));

        assertThat(exit).as("exit after SIGTERM, against a 40 s shutdown time-out").isLessThan(Duration.ofSeconds(20));
        assertThat(inbox.pending()).containsExactly("products-big.csv");
        assertThat(inbox.error()).isEmpty();
        assertThat(Files.readString(first.log())).contains("products-big.csv: interrupted (the service stopped) after line ");

        try (ServiceProcess second = service.start()) {
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> inbox.done().contains("products-big.csv"));
            long invalid = Csv.invalidCount(ROWS, INVALID_EVERY);
            try (Connection db = DriverManager.getConnection(jdbcUrl, "postgres", "")) {
                assertThat(Sql.count(db, "SELECT count(*) FROM unified_records")).isEqualTo(ROWS - invalid);
                assertThat(Sql.count(db, "SELECT count(*) FROM raw_csv_data")).isEqualTo(ROWS);
                assertThat(Sql.count(db, "SELECT count(DISTINCT line_number) FROM raw_csv_data")).isEqualTo(ROWS);
                assertThat(Sql.count(db, "SELECT count(*) FROM rejected_rows")).isEqualTo(invalid);
                assertThat(Sql.count(db, "SELECT count(*) FROM etl_runs WHERE status = 'running'")).isZero();
                assertThat(Sql.count(db, "SELECT count(*) FROM etl_runs WHERE status = 'failed' "
                        + "AND error_message LIKE 'interrupted: the service stopped;%'")).isEqualTo(1);
                assertThat(Sql.count(db, "SELECT count(*) FROM etl_runs WHERE status = 'success'")).isEqualTo(1);
                assertThat(Sql.count(db, "SELECT sum(records_read) FROM etl_runs")).isEqualTo(ROWS);
                assertThat(Sql.count(db, "SELECT count(*) FROM etl_runs WHERE resumed_from_line > 0")).isEqualTo(1);
            }
            assertThat(inbox.error()).isEmpty();
        }
    }
}
