package com.kasparro.etl.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.kasparro.etl.support.Csv;
import com.kasparro.etl.support.EtlIntegrationTest;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * PostgreSQL crashes in the middle of a file (SIGQUIT to the postmaster: an immediate shutdown, no
 * WAL flush) and starts again with crash recovery: the file finishes exactly once, in its one run.
 * The batch that met the crash is redelivered once the server is back; every batch committed
 * synchronously, so nothing the service saw commit is lost.
 */
@EtlIntegrationTest
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@TestPropertySource(properties = {"etl.batch-size=200", "etl.retry.initial-delay=200ms", "etl.retry.max-delay=1s"})
class DatabaseCrashTest extends DatabaseFaultTestSupport {

    @Test
    void aCrashOfTheDatabaseMidFileLosesNoRowAndDuplicatesNone() throws Exception {
        long postmaster = postmasterPid();

        // The 8th batch crashes the server just before it is written.
        AtomicInteger batches = new AtomicInteger();
        AtomicBoolean crashed = new AtomicBoolean();
        AdviceWith.adviceWith(camel, "normalize", route -> route.weaveById("write").before().process(exchange -> {
            if (batches.incrementAndGet() == 8 && crashed.compareAndSet(false, true)) {
                crash(postmaster);
            }
        }));

        int rows = 5_000;
        int invalidEvery = 100;
        inbox.drop("products-crash.csv", Csv.products("c", rows, invalidEvery));
        await().atMost(Duration.ofSeconds(30)).untilTrue(crashed);
        restartAfterCrash();

        // Batches commit synchronously: the crash loses nothing acknowledged, and the same run goes on.
        assertLandedExactlyOnce(db, inbox, "products-crash.csv", rows, invalidEvery);
    }
}
