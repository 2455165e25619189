package com.kasparro.etl.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.kasparro.etl.config.EtlProperties;
import com.kasparro.etl.store.Batch;
import com.kasparro.etl.support.Csv;
import com.kasparro.etl.support.Inbox;
import com.kasparro.etl.support.TestDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What the tests that take the service's PostgreSQL away, or lose its writes, share: a clean
 * database and inbox per test, the faults, starting the server again, and the exactly-once checks.
 */
abstract class DatabaseFaultTestSupport {

    /** The server started again on the same data directory and port; the test class closes it. */
    private static final AtomicReference<EmbeddedPostgres> restarted = new AtomicReference<>();

    @Autowired
    EtlProperties properties;
    @Autowired
    JdbcTemplate jdbcTemplate;
    @Autowired
    EmbeddedPostgres postgres;
    @Autowired
    CamelContext camel;

    TestDatabase db;
    Inbox inbox;

    @BeforeEach
    void emptyDatabaseAndInbox() throws IOException {
        db = new TestDatabase(jdbcTemplate);
        db.reset();
        inbox = new Inbox(properties.inbox().path()).clear();
    }

    @AfterAll
    static void closeRestartedServer() throws IOException {
        EmbeddedPostgres server = restarted.getAndSet(null);
        if (server != null) {
            server.close();
        }
    }

    Path dataDir() {
        return Path.of(properties.embeddedDb().dataDir()).toAbsolutePath().normalize();
    }

    /**
     * Waits for the file's run to succeed, then checks it landed exactly once, in that one run:
     * every row read once, each valid one a record, each row raw once, each invalid one rejected,
     * and the file in .done/.
     */
    static void assertLandedExactlyOnce(TestDatabase db, Inbox inbox, String fileName, int rows, int invalidEvery)
            throws Exception {
        assertLandedExactlyOnceAcrossRuns(db, inbox, fileName, rows, invalidEvery);
        assertThat(db.count("SELECT count(*) FROM etl_runs WHERE file_name = ?", fileName)).isEqualTo(1);
    }

    /**
     * The file landed exactly once, possibly over more than one run (one that was interrupted, then
     * one resuming after the stored checkpoint): the runs' counters add up to the file exactly, as
     * do the rows, and the file is in .done/.
     */
    static void assertLandedExactlyOnceAcrossRuns(TestDatabase db, Inbox inbox, String fileName, int rows,
                                                  int invalidEvery) throws Exception {
        await().atMost(Duration.ofSeconds(90)).ignoreExceptions().until(
                () -> db.count("SELECT count(*) FROM etl_runs WHERE status = 'success'") == 1);
        long invalid = Csv.invalidCount(rows, invalidEvery);
        Map<String, Object> totals = db.row("SELECT sum(records_read) AS read, sum(records_inserted) AS inserted, "
                + "sum(records_rejected) AS rejected, sum(records_updated) AS updated FROM etl_runs WHERE file_name = ?",
                fileName);
        assertThat(((Number) totals.get("read")).longValue()).isEqualTo(rows);
        assertThat(((Number) totals.get("inserted")).longValue()).isEqualTo(rows - invalid);
        assertThat(((Number) totals.get("rejected")).longValue()).isEqualTo(invalid);
        assertThat(((Number) totals.get("updated")).longValue()).isZero();
        assertThat(db.count("SELECT count(*) FROM unified_records")).isEqualTo(rows - invalid);
        assertThat(db.count("SELECT count(*) FROM raw_csv_data")).isEqualTo(rows);
        assertThat(db.count("SELECT count(DISTINCT line_number) FROM raw_csv_data")).isEqualTo(rows);
        assertThat(db.count("SELECT count(*) FROM rejected_rows")).isEqualTo(invalid);
        await().untilAsserted(() -> assertThat(inbox.done()).containsExactly(fileName));
        assertThat(inbox.error()).isEmpty();
    }

    /** The batch an exchange of the normalize route carries at its write step. */
    static Batch batchOf(Exchange exchange) {
        return exchange.getIn().getBody(Batch.class);
    }

    /** The running server's postmaster, as its data directory records it. */
    long postmasterPid() throws IOException {
        return Long.parseLong(Files.readAllLines(dataDir().resolve("postmaster.pid")).get(0).trim());
    }

    /**
     * Crashes PostgreSQL: SIGQUIT to the postmaster is an immediate shutdown, no WAL flush, crash
     * recovery on the next start. Returns once the postmaster has exited.
     */
    static void crash(long postmaster) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-QUIT", Long.toString(postmaster)).inheritIO().start().waitFor();
        ProcessHandle.of(postmaster).ifPresent(p -> p.onExit().orTimeout(30, TimeUnit.SECONDS).join());
    }

    /** After {@link #crash}: starts PostgreSQL again on the service's data and port (crash recovery). */
    void restartAfterCrash() throws IOException {
        int port = postgres.getPort();
        try {
            postgres.close(); // its server is gone; this only marks it closed
        } catch (Exception alreadyDead) {
            // pg_ctl finds no server: expected
        }
        Files.deleteIfExists(dataDir().resolve("postmaster.pid")); // left behind by the crash
        restartPostgres(dataDir(), port);
    }

    /** Starts PostgreSQL again on the service's data and port, as the service starts it. */
    void restartPostgres(Path dataDir, int port) {
        try {
            // zonky's own defaults turn both off for throw-away databases; the service turns them on.
            restarted.set(EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false)
                    .setServerConfig("synchronous_commit", "on").setServerConfig("fsync", "on")
                    .setRegisterShutdownHook(false).setPort(port).start());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
