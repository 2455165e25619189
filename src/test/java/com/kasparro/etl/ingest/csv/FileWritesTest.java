package com.kasparro.etl.ingest.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.kasparro.etl.normalize.RecordBatch;
import com.kasparro.etl.store.Lane;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class FileWritesTest {

    private final DefaultCamelContext camel = new DefaultCamelContext();
    private final FileWrites writes = new FileWrites(3);

    @Test
    void aLanesNextBatchWaitsUntilItsBatchInFlightHasCompleted() throws Exception {
        Exchange first = batchOf(7, 1);
        writes.enter(first);

        CompletableFuture<Void> next = CompletableFuture.runAsync(() -> enter(batchOf(7, 1)));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !next.isDone());

        complete(first);
        await().atMost(Duration.ofSeconds(5)).until(next::isDone);
    }

    @Test
    void theOtherLanesOfTheFileAndOtherFilesDoNotWait() {
        enter(batchOf(7, 0));
        CompletableFuture<Void> otherLanes = CompletableFuture.runAsync(() -> {
            enter(batchOf(7, 1));
            enter(batchOf(7, 2));
            enter(batchOf(8, 0));
        });
        await().atMost(Duration.ofSeconds(5)).until(otherLanes::isDone);
    }

    @Test
    void aRunFinishesOnlyOnceItsBatchesInFlightHaveCompleted() {
        Exchange inFlight = batchOf(7, 2);
        enter(inFlight);

        CompletableFuture<Void> finish = CompletableFuture.runAsync(() -> writes.finish(7));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !finish.isDone());

        complete(inFlight);
        await().atMost(Duration.ofSeconds(5)).until(finish::isDone);
        // Closing: the reader stops, and nothing waits for a slot any more.
        assertThat(writes.closing(7)).isTrue();
        enter(batchOf(7, 2));
        enter(batchOf(7, 2));
        writes.forget(7);
        assertThat(writes.closing(7)).isFalse();
    }

    private Exchange batchOf(long runId, int lane) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getIn().setBody(new RecordBatch("products_csv", runId, "f.csv", "sha", 0, 1, 10, List.of(), null,
                new Lane(lane, 3)));
        return exchange;
    }

    private void enter(Exchange exchange) {
        try {
            writes.enter(exchange);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the batch's unit of work does when the batch is written or has failed. */
    private static void complete(Exchange exchange) {
        exchange.getExchangeExtension().handoverCompletions().forEach(s -> s.onComplete(exchange));
    }
}
