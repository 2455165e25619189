package com.kasparro.etl.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.kasparro.etl.normalize.RecordBatch;
import com.kasparro.etl.support.Csv;
import com.kasparro.etl.support.EtlIntegrationTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * The database loses a batch it had acknowledged ({@link #loseAcknowledgedBatchAt}), so the file
 * resumes after the stored checkpoint in a new run; and while that run is writing, PostgreSQL
 * crashes (as in DatabaseCrashTest) and starts again with crash recovery. The resumed run's batches
 * in flight wait for the database and go on, or the crash loses more acknowledged batches and the
 * file resumes once more: either way every row lands once, across the runs.
 */
@EtlIntegrationTest
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@TestPropertySource(properties = {"etl.batch-size=200", "etl.retry.initial-delay=200ms", "etl.retry.max-delay=1s"})
class CrashDuringResumeTest extends DatabaseFaultTestSupport {

    private static final int ROWS = 3_000;
    private static final int INVALID_EVERY = 50;

    @Test
    void aCrashWhileTheFileResumesAfterLostBatchesLosesNoRowAndDuplicatesNone() throws Exception {
        long postmaster = postmasterPid();
        // The first run's batch of lines 402-601 is rolled back on the server after Spring saw it commit.
        AtomicLong lostInRun = loseAcknowledgedBatchAt(402);
        // The resumed run's second batch crashes the server before its COPY.
        AtomicBoolean crashed = new AtomicBoolean();
        AdviceWith.adviceWith(camel, "normalize", route -> route.weaveById("copy-batch").before().process(exchange -> {
            RecordBatch batch = batchOf(exchange);
            if (lostInRun.get() != 0 && batch.runId() != lostInRun.get() && batch.previousLine() + 1 == 602
                    && crashed.compareAndSet(false, true)) {
                crash(postmaster);
            }
        }));

        inbox.drop("products-resume-crash.csv", Csv.products("rc", ROWS, INVALID_EVERY));
        await().atMost(Duration.ofSeconds(30)).untilTrue(crashed);
        restartAfterCrash();

        assertLandedExactlyOnceAcrossRuns(db, inbox, "products-resume-crash.csv", ROWS, INVALID_EVERY);
        List<Map<String, Object>> runs = db.rows(
                "SELECT id, status, resumed_from_line, error_message FROM etl_runs ORDER BY id");
        assertThat(runs.get(0)).containsEntry("id", lostInRun.get()).containsEntry("status", "failed");
        assertThat((String) runs.get(0).get("error_message")).startsWith("interrupted: the database lost batches");
        // The run the crash hit resumed after line 401; it either finished, or the crash lost more
        // batches and a later run resumed after it.
        assertThat(runs.get(1)).containsEntry("resumed_from_line", 401L);
        assertThat(runs.get(runs.size() - 1)).containsEntry("status", "success");
        assertThat(runs.subList(1, runs.size() - 1)).allSatisfy(run -> {
            assertThat(run).containsEntry("status", "failed");
            assertThat((String) run.get("error_message")).startsWith("interrupted: the database lost batches");
        });
    }
}
