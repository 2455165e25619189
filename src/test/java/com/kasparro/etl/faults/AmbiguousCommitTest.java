package com.kasparro.etl.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.kasparro.etl.support.Csv;
import com.kasparro.etl.support.EtlIntegrationTest;
import com.kasparro.etl.support.LogCapture;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.core.Ordered;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * A batch's COMMIT fails on the client's side, as when the server shuts down while answering it:
 * the same error whether the commit landed or not. The source route retries the batch either way,
 * and the file must land exactly once in both cases. (DatabaseOutageTest met the "landed" case once,
 * by chance, and wrote the batch's raw rows, rejected rows and run counters twice.)
 *
 * <p>The fault is a transaction synchronization of the second batch that throws the driver's error
 * of then (SQL state 57P01) from its commit: after the commit ("landed"), or before it ("rolled
 * back"; not as a TransactionException there, which Spring would not roll back). It runs before
 * {@code CommitOrder}'s own, as a failing commit would.
 */
@EtlIntegrationTest
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@TestPropertySource(properties = {"etl.batch-size=200", "etl.retry.initial-delay=200ms", "etl.retry.max-delay=1s"})
class AmbiguousCommitTest extends DatabaseFaultTestSupport {

    private static final int ROWS = 2_000;
    private static final int INVALID_EVERY = 50;

    private enum Commit { LANDED, ROLLED_BACK }

    private static final AtomicBoolean advised = new AtomicBoolean();
    private static final AtomicReference<Commit> fault = new AtomicReference<>();
    private static final AtomicInteger merges = new AtomicInteger();
    private static final AtomicInteger failedCommits = new AtomicInteger();

    private LogCapture logs;

    @BeforeEach
    void setUp() throws Exception {
        merges.set(0);
        failedCommits.set(0);
        logs = LogCapture.attach();
        if (advised.compareAndSet(false, true)) {
            AdviceWith.adviceWith(camel, "normalize", route -> route.weaveById("merge-batch").after()
                    .process(exchange -> {
                        if (merges.incrementAndGet() == 2) {
                            TransactionSynchronizationManager.registerSynchronization(new FailingCommit(fault.get()));
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
        assertThat(logs.messages()).filteredOn(m -> m.contains("had committed before its connection failed"))
                .containsExactly("products-landed.csv: the batch of lines 202-401 had committed before its "
                        + "connection failed; not written again");
    }

    @Test
    void aBatchWhoseCommitRolledBackIsWrittenByItsRetry() throws Exception {
        fault.set(Commit.ROLLED_BACK);
        inbox.drop("products-rolled-back.csv", Csv.products("r", ROWS, INVALID_EVERY));

        assertLandedExactlyOnce(db, inbox, "products-rolled-back.csv", ROWS, INVALID_EVERY);
        assertThat(failedCommits).hasValue(1);
        assertThat(merges).hasValueGreaterThan(ROWS / 200); // the second batch merged twice
        assertThat(logs.messages()).noneMatch(m -> m.contains("had committed before"));
    }

    /** Throws what pgjdbc threw from a commit answered by a server shutting down. */
    private record FailingCommit(Commit when) implements TransactionSynchronization {

        @Override
        public int getOrder() {
            return Ordered.HIGHEST_PRECEDENCE;
        }

        @Override
        public void beforeCommit(boolean readOnly) {
            if (when == Commit.ROLLED_BACK) {
                failedCommits.incrementAndGet();
                throw new DataAccessResourceFailureException("Could not commit JDBC transaction", shutdown());
            }
        }

        @Override
        public void afterCommit() {
            if (when == Commit.LANDED) {
                failedCommits.incrementAndGet();
                throw new TransactionSystemException("Could not commit JDBC transaction", shutdown());
            }
        }

        private static SQLException shutdown() {
            return new SQLException("FATAL: terminating connection due to administrator command", "57P01");
        }
    }
}
