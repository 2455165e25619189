package com.kasparro.etl.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.kasparro.etl.support.Csv;
import com.kasparro.etl.support.EtlIntegrationTest;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * The real PostgreSQL is stopped in the middle of a file, for longer than several back-offs, then
 * started again on the same data: the file finishes exactly once, never lands in .error/, and
 * /health says 503 meanwhile. No restart of the service.
 */
@EtlIntegrationTest
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@TestPropertySource(properties = {"etl.batch-size=200", "etl.retry.initial-delay=200ms", "etl.retry.max-delay=1s"})
class DatabaseOutageTest extends DatabaseFaultTestSupport {

    @Autowired
    MeterRegistry meters;

    @LocalServerPort
    int port;

    @Test
    void aFileInProgressWaitsForTheDatabaseAndFinishesExactlyOnce() throws Exception {
        Path dataDir = dataDir();
        int pgPort = postgres.getPort();

        // Deterministic "mid-file": the third batch stops the server before writing anything.
        AtomicInteger batches = new AtomicInteger();
        AtomicBoolean stopped = new AtomicBoolean();
        AdviceWith.adviceWith(camel, "normalize", route -> route.weaveById("write").before().process(exchange -> {
            if (batches.incrementAndGet() == 3 && stopped.compareAndSet(false, true)) {
                postgres.close();
            }
        }));

        int rows = 5_000;
        int invalidEvery = 100;
        inbox.drop("products-outage.csv", Csv.products("o", rows, invalidEvery));

        await().atMost(Duration.ofSeconds(30)).untilTrue(stopped);
        // While it is down: /health turns 503 within seconds, and the file stays in the inbox.
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(15)).until(() -> health(http) == 503);
        assertThat(inbox.pending()).containsExactly("products-outage.csv");
        assertThat(inbox.error()).isEmpty();
        // Down for longer than several back-offs (200 ms doubling, capped at 1 s).
        await().pollDelay(Duration.ofSeconds(4)).until(() -> true);
        assertThat(inbox.error()).isEmpty();

        restartPostgres(dataDir, pgPort);

        await().atMost(Duration.ofSeconds(60)).until(() -> health(http) == 200);
        assertLandedExactlyOnce(db, inbox, "products-outage.csv", rows, invalidEvery);
        assertThat(db.count("SELECT count(*) FROM etl_runs")).isEqualTo(1); // the same run went on
        assertThat(meters.counter("etl.retries", "source", "products_csv", "reason", "database").count())
                .as("etl_retries_total counts the waits for the database").isPositive();
    }

    private int health(HttpClient http) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/health"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }
}
