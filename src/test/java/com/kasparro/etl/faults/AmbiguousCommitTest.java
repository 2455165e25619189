package com.kasparro.etl.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.kasparro.etl.support.Csv;
import com.kasparro.etl.support.EtlIntegrationTest;
import com.kasparro.etl.support.LogCapture;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.DefaultTransactionStatus;

/**
 * A batch's COMMIT fails on the client's side, as when the server shuts down while answering it:
 * the same error whether the commit landed or not. The batch is retried either way, and the file
 * must land exactly once in both cases.
 *
 * <p>The fault is the transaction manager's commit of the second batch throwing the driver's error
 * of then (SQL state 57P01): after the commit ("landed"), or before it ("rolled back"). A third
 * fault is a commit the database acknowledged and then lost ("lost": reported done, nothing
 * stored), as a server that lies about its flushes would: the file resumes after the checkpoint.
 */
@EtlIntegrationTest
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
// One writer: "the second batch" is then the same batch in every run.
@TestPropertySource(properties = {"etl.batch-size=200", "etl.retry.initial-delay=200ms", "etl.retry.max-delay=1s",
        "etl.inbox.writers-per-file=1"})
@Import(AmbiguousCommitTest.FaultyCommits.class)
class AmbiguousCommitTest extends DatabaseFaultTestSupport {

    private static final int ROWS = 2_000;
    private static final int INVALID_EVERY = 50;

    private enum Commit { LANDED, ROLLED_BACK, LOST }

    private static final AtomicBoolean advised = new AtomicBoolean();
    private static final AtomicReference<Commit> fault = new AtomicReference<>();
    /** Set for the next commit on this thread: the fault to inject into it. */
    private static final ThreadLocal<Commit> armed = new ThreadLocal<>();
    private static final AtomicInteger writes = new AtomicInteger();
    private static final AtomicInteger failedCommits = new AtomicInteger();

    @Autowired
    MeterRegistry meters;

    private LogCapture logs;

    @BeforeEach
    void setUp() throws Exception {
        writes.set(0);
        failedCommits.set(0);
        logs = LogCapture.attach();
        if (advised.compareAndSet(false, true)) {
            AdviceWith.adviceWith(camel, "normalize", route -> route.weaveById("write").before()
                    .process(exchange -> {
                        if (writes.incrementAndGet() == 2) {
                            armed.set(fault.get());
                        }
                    }));
        }
    }

    @AfterEach
    void detachLogs() {
        logs.close();
    }

    @Test
    void aBatchWhoseCommitLandedIsNotWrittenAgain() throws Exception {
        fault.set(Commit.LANDED);
        inbox.drop("products-landed.csv", Csv.products("l", ROWS, INVALID_EVERY));

        assertLandedExactlyOnce(db, inbox, "products-landed.csv", ROWS, INVALID_EVERY);
        assertThat(failedCommits).hasValue(1);
        assertThat(db.row("SELECT records_updated, records_skipped FROM etl_runs"))
                .containsEntry("records_updated", 0L).containsEntry("records_skipped", 0L);
        assertThat(logs.messages()).filteredOn(m -> m.contains("had committed before"))
                .containsExactly("products-landed.csv: the batch of lines 202-401 had committed before its "
                        + "connection failed; not written again");
    }

    @Test
    void aBatchWhoseCommitRolledBackIsWrittenByItsRetry() throws Exception {
        fault.set(Commit.ROLLED_BACK);
        double retriesBefore = databaseRetries();
        inbox.drop("products-rolled-back.csv", Csv.products("r", ROWS, INVALID_EVERY));

        assertLandedExactlyOnce(db, inbox, "products-rolled-back.csv", ROWS, INVALID_EVERY);
        assertThat(failedCommits).hasValue(1);
        assertThat(databaseRetries() - retriesBefore).as("the second batch was written again").isEqualTo(1.0);
        assertThat(logs.messages()).noneMatch(m -> m.contains("had committed before"));
    }

    @Test
    void aBatchTheDatabaseLostAfterAcknowledgingItIsReadAgainByAResumedRun() throws Exception {
        fault.set(Commit.LOST);
        inbox.drop("products-lost.csv", Csv.products("x", ROWS, INVALID_EVERY));

        assertLandedExactlyOnceAcrossRuns(db, inbox, "products-lost.csv", ROWS, INVALID_EVERY);
        assertThat(failedCommits).hasValue(1);
        assertThat(db.rows("SELECT status, error_message, resumed_from_line FROM etl_runs ORDER BY id"))
                .extracting(r -> r.get("status") + " | " + r.get("error_message") + " | " + r.get("resumed_from_line"))
                .containsExactly("failed | interrupted: the database lost batches it had acknowledged; the file stays"
                        + " in the inbox and resumes after line 201 | null", "success | null | 201");
    }

    private double databaseRetries() {
        return meters.counter("etl.retries", "source", "products_csv", "reason", "database").count();
    }

    /** The service's transaction manager, with the fault on a commit that the test armed. */
    @TestConfiguration(proxyBeanMethods = false)
    static class FaultyCommits {

        @Bean
        @Primary
        PlatformTransactionManager transactionManager(DataSource dataSource) {
            return new JdbcTransactionManager(dataSource) {
                @Override
                protected void doCommit(DefaultTransactionStatus status) {
                    Commit when = armed.get();
                    armed.remove();
                    if (when == Commit.ROLLED_BACK) {
                        failedCommits.incrementAndGet();
                        throw new DataAccessResourceFailureException("Could not commit JDBC transaction", shutdown());
                    }
                    if (when == Commit.LOST) {
                        // An acknowledged commit that the database then lost: reported done, nothing stored.
                        failedCommits.incrementAndGet();
                        doRollback(status);
                        return;
                    }
                    super.doCommit(status);
                    if (when == Commit.LANDED) {
                        failedCommits.incrementAndGet();
                        throw new TransactionSystemException("Could not commit JDBC transaction", shutdown());
                    }
                }
            };
        }

        private static SQLException shutdown() {
            return new SQLException("FATAL: terminating connection due to administrator command", "57P01");
        }
    }
}
