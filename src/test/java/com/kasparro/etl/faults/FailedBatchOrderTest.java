package com.kasparro.etl.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.kasparro.etl.config.EtlProperties;
import com.kasparro.etl.normalize.NormalizationRoute;
import com.kasparro.etl.normalize.ValidatedBatch;
import com.kasparro.etl.support.Csv;
import com.kasparro.etl.support.EtlIntegrationTest;
import com.kasparro.etl.support.Inbox;
import com.kasparro.etl.support.LogCapture;
import com.kasparro.etl.support.TestDatabase;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * A batch fails for good (not the database's fault) while the batch after it is still in its COPYs
 * on the other writer. The file goes to .error/ with a failed run, and nothing after the failed batch
 * may commit: that batch's checkpoint would skip the failed batch's lines, so that a re-drop of the
 * file, resuming after the checkpoint, would never load them. (Before, the later batch found its
 * run closed and passed the commit turn as the API's batches do. The merge's checkpoint check would
 * now reject it too, but as a loss of acknowledged batches: the log must not say so.)
 */
@EtlIntegrationTest
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@TestPropertySource(properties = {"etl.batch-size=100", "etl.batch-writers=2"})
class FailedBatchOrderTest {

    private static final int ROWS = 1_000;
    private static final int BATCH = 100;

    /** The third batch has done its COPYs and waits here until the run has failed. */
    private static final CountDownLatch thirdCopied = new CountDownLatch(1);
    private static final AtomicBoolean thirdWent = new AtomicBoolean();

    @Autowired
    CamelContext camel;
    @Autowired
    JdbcTemplate jdbcTemplate;
    @Autowired
    EtlProperties properties;

    private TestDatabase db;
    private Inbox inbox;

    @BeforeEach
    void setUp() throws Exception {
        db = new TestDatabase(jdbcTemplate);
        db.reset();
        inbox = new Inbox(properties.inbox().path()).clear();
        AdviceWith.adviceWith(camel, "normalize", route -> {
            route.weaveById("copy-batch").after().process(exchange -> {
                if (firstLine(exchange) == 2 * BATCH + 2) {
                    thirdCopied.countDown();
                    await().atMost(Duration.ofSeconds(30)).until(this::runFailed);
                    thirdWent.set(true);
                }
            });
            route.weaveById("merge-batch").before().process(exchange -> {
                if (firstLine(exchange) == BATCH + 2) {
                    // The second batch fails once the third is past its COPYs, waiting for its turn.
                    assertThat(thirdCopied.await(30, TimeUnit.SECONDS)).isTrue();
                    throw new IllegalArgumentException("test fault: this batch cannot be written");
                }
            });
        });
    }

    @Test
    void nothingAfterABatchThatFailedForGoodCommits() throws Exception {
        try (LogCapture logs = LogCapture.attach()) {
            dropAndAwaitTheFailure();
            // Given up at its turn, not merged: the merge's checkpoint check would also reject it,
            // but as if the database had lost batches, and begin a resume of a failed file.
            assertThat(logs.messages()).noneMatch(m -> m.contains("lost batches"));
        }
    }

    private void dropAndAwaitTheFailure() throws Exception {
        inbox.drop("products-fails.csv", Csv.products("f", ROWS, 0));

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(inbox.error()).hasSize(1));
        assertThat(runFailed()).isTrue();
        assertThat(db.row("SELECT error_message FROM etl_runs").get("error_message").toString())
                .contains("test fault");
        await().atMost(Duration.ofSeconds(30)).untilTrue(thirdWent);
        // The third batch has left its wait: it must give up, not commit, now or a little later.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(db.count("SELECT count(*) FROM unified_records")).isEqualTo(BATCH);
            assertThat(db.count("SELECT count(*) FROM raw_csv_data")).isEqualTo(BATCH);
            assertThat(db.count("SELECT last_line FROM ingestion_checkpoints")).isEqualTo(BATCH + 1);
            assertThat(db.count("SELECT records_read FROM etl_runs")).isEqualTo(BATCH);
        });
    }

    private boolean runFailed() {
        return db.count("SELECT count(*) FROM etl_runs WHERE status = 'failed'") == 1;
    }

    /** The first file line of the exchange's batch (line 1 is the header). */
    private static long firstLine(Exchange exchange) {
        return exchange.getProperty(NormalizationRoute.VALIDATED, ValidatedBatch.class).input().previousLine() + 1;
    }
}
