package com.kasparro.etl.ingest.csv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.kasparro.etl.normalize.RecordBatch;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class FileWritesTest {

    private final DefaultCamelContext camel = new DefaultCamelContext();
    private final FileWrites writes = new FileWrites(2);

    @Test
    void aFileHasAtMostItsWritersBatchesInFlightAndTheNextWaitsForOneToComplete() throws Exception {
        Exchange first = batchOf(7);
        Exchange second = batchOf(7);
        writes.enter(first);
        writes.enter(second);

        CompletableFuture<Void> third = CompletableFuture.runAsync(() -> enter(batchOf(7)));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !third.isDone());

        complete(first);
        await().atMost(Duration.ofSeconds(5)).until(third::isDone);
    }

    @Test
    void anotherFileDoesNotWaitForThisOnesSlots() throws Exception {
        writes.enter(batchOf(7));
        writes.enter(batchOf(7));

        CompletableFuture<Void> otherFile = CompletableFuture.runAsync(() -> enter(batchOf(8)));
        await().atMost(Duration.ofSeconds(5)).until(otherFile::isDone);
    }

    @Test
    void aRunFinishesOnlyOnceItsBatchesInFlightHaveCompleted() throws Exception {
        Exchange inFlight = batchOf(7);
        writes.enter(inFlight);

        CompletableFuture<Void> finish = CompletableFuture.runAsync(() -> writes.finish(7));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !finish.isDone());

        complete(inFlight);
        await().atMost(Duration.ofSeconds(5)).until(finish::isDone);
        // The run is forgotten: its next file starts with every slot free.
        writes.enter(batchOf(7));
        writes.enter(batchOf(7));
    }

    private Exchange batchOf(long runId) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getIn().setBody(new RecordBatch("products_csv", runId, "f.csv", "sha", 0, 1, 10, List.of()));
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
