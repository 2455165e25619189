package com.kasparro.etl.normalize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** Batches written on several threads pass the commit turn strictly in input order. */
class CommitOrderTest {

    private final CommitOrder order = new CommitOrder();
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final DefaultCamelContext camel = new DefaultCamelContext();
    /** How many synchronizations each written batch registered, in order. */
    private final List<Integer> synchronizations = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    @Test
    void laterBatchesWaitUntilTheEarlierOnesHaveCommitted() throws Exception {
        order.open(7, 0);
        List<Long> merged = new CopyOnWriteArrayList<>();
        // Batches 3, 2 and 1 arrive in reverse order, each on its own thread.
        CompletableFuture<?> third = write(batch(7, 200, 300), merged);
        CompletableFuture<?> second = write(batch(7, 100, 200), merged);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> merged.isEmpty());
        CompletableFuture<?> first = write(batch(7, 0, 100), merged);
        CompletableFuture.allOf(first, second, third).get();
        assertThat(merged).containsExactly(100L, 200L, 300L);
    }

    @Test
    void aResumedInputStartsAfterItsCheckpoint() throws Exception {
        order.open(8, 4_000);
        List<Long> merged = new CopyOnWriteArrayList<>();
        write(batch(8, 4_000, 5_000), merged).get();
        assertThat(merged).containsExactly(5_000L);
    }

    @Test
    void batchesWaitingBehindAFailedOneGiveUpWhenTheRunIsClosed() {
        order.open(9, 0);
        List<Long> merged = new CopyOnWriteArrayList<>();
        CompletableFuture<?> second = write(batch(9, 100, 200), merged);
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> !second.isDone());
        order.close(9); // batch 1 failed for good: the run is failed and closed
        assertThatThrownBy(second::get).hasCauseInstanceOf(CommitOrder.BatchAbortedException.class)
                .hasMessageContaining("an earlier batch failed");
        assertThat(merged).isEmpty();
    }

    @Test
    void inputsThatNeverOpenedARunPassStraightThrough() throws Exception {
        List<Long> merged = new CopyOnWriteArrayList<>();
        // An API poll's batch: no checkpoint key, written one at a time.
        write(new RecordBatch("coingecko_api", 10, null, null, 500, 600, 0, List.of()), merged).get();
        assertThat(merged).containsExactly(600L);
    }

    @Test
    void theKeysOfTheBatchesCommittedSinceALineAreKnownWhileRemembered() throws Exception {
        order.open(11, 0);
        List<Long> merged = new CopyOnWriteArrayList<>();
        write(batch(11, 0, 100), merged, "a", "b").get();
        write(batch(11, 100, 200), merged, "c").get();

        assertThat(order.committedKeys(11, 0, 200)).containsExactly(Set.of("a", "b"), Set.of("c"));
        assertThat(order.committedKeys(11, 100, 200)).containsExactly(Set.of("c"));
        assertThat(order.committedKeys(11, 200, 200)).isEmpty();
        assertThat(order.committedKeys(11, 0, 150)).as("not a batch boundary").isNull();
        assertThat(order.committedKeys(12, 0, 100)).as("a run not open here").isNull();

        for (long line = 200; line < 200 + 100L * CommitOrder.REMEMBERED; line += 100) {
            write(batch(11, line, line + 100), merged, "k" + line).get();
        }
        assertThat(order.committedKeys(11, 0, 200 + 100L * CommitOrder.REMEMBERED)).as("forgotten").isNull();
        assertThat(order.committedKeys(11, 200, 200 + 100L * CommitOrder.REMEMBERED)).hasSize(CommitOrder.REMEMBERED);
    }

    @Test
    void aBatchThatTookItsTurnEarlyTakesItOnce() throws Exception {
        order.open(13, 0);
        List<Long> merged = new CopyOnWriteArrayList<>();
        // A retried batch takes its turn before its COPYs, and passes the route's turn step again.
        write(batch(13, 0, 100), merged, 2, "a").get();
        write(batch(13, 100, 200), merged, 1, "b").get();

        assertThat(merged).containsExactly(100L, 200L);
        assertThat(synchronizations).containsExactly(1, 1);
    }

    @Test
    void aFailingRunWaitsForTheBatchInItsTurnToCommit() throws Exception {
        assertClosingWaitsForTheBatchInItsTurn(14, true);
    }

    @Test
    void aBatchThatRollsBackInItsTurnEndsTheWaitToo() throws Exception {
        assertClosingWaitsForTheBatchInItsTurn(15, false);
    }

    /** A batch takes its turn; closing its run waits until it commits (or rolls back), not before. */
    private void assertClosingWaitsForTheBatchInItsTurn(long runId, boolean commit) throws Exception {
        order.open(runId, 0);
        CountDownLatch merging = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        CompletableFuture<?> first = writeInTurn(batch(runId, 0, 100), merging, finish, commit);
        merging.await();
        CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(() -> drain(runId, Duration.ofSeconds(10)));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !drained.isDone());
        finish.countDown();
        assertThat(drained.get()).isTrue();
        first.get();
    }

    @Test
    void aBatchThatReachesItsTurnAfterItsRunClosedGivesUp() {
        order.open(17, 0);
        order.close(17); // the run failed while this batch was still in its COPYs
        List<Long> merged = new CopyOnWriteArrayList<>();
        assertThatThrownBy(() -> write(batch(17, 100, 200), merged).get())
                .hasCauseInstanceOf(CommitOrder.BatchAbortedException.class);
        assertThat(merged).isEmpty();
    }

    @Test
    void theBatchesOfAnAbandonedRunGiveUpQuietly() throws Exception {
        order.open(18, 0);
        List<Long> merged = new CopyOnWriteArrayList<>();
        List<Exchange> waiting = new CopyOnWriteArrayList<>();
        CompletableFuture<?> second = write(batch(18, 100, 200), merged, waiting::add);
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(() -> !second.isDone());
        assertThat(order.abandon(18, Duration.ofSeconds(1))).isTrue(); // the first batch was lost: a new run follows
        second.get();
        List<Exchange> later = new CopyOnWriteArrayList<>();
        write(batch(18, 200, 300), merged, later::add).get();
        assertThat(merged).isEmpty();
        assertThat(waiting).singleElement()
                .satisfies(e -> assertThat(e.getProperty(CommitOrder.ABANDONED, Boolean.class)).isTrue());
        assertThat(later).singleElement()
                .satisfies(e -> assertThat(e.getProperty(CommitOrder.ABANDONED, Boolean.class)).isTrue());
    }

    @Test
    void theWaitForABatchInItsTurnIsBounded() throws Exception {
        order.open(16, 0);
        CountDownLatch merging = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        writeInTurn(batch(16, 0, 100), merging, finish, true);
        merging.await();
        assertThat(order.closeAndDrain(16, Duration.ofMillis(200))).isFalse();
        finish.countDown();
        assertThat(order.closeAndDrain(16, Duration.ofMillis(200))).as("closed already").isTrue();
        assertThat(order.closeAndDrain(99, Duration.ofMillis(200))).as("never opened").isTrue();
    }

    private boolean drain(long runId, Duration limit) {
        try {
            return order.closeAndDrain(runId, limit);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * One writer thread that takes its turn, says so on {@code merging}, and ends its transaction
     * (commit or rollback) only once {@code finish} opens.
     */
    private CompletableFuture<?> writeInTurn(RecordBatch batch, CountDownLatch merging, CountDownLatch finish,
                                             boolean commit) {
        return CompletableFuture.runAsync(() -> {
            TransactionSynchronizationManager.initSynchronization();
            try {
                Exchange exchange = new DefaultExchange(camel);
                exchange.setProperty(NormalizationRoute.VALIDATED, new ValidatedBatch(batch, List.of(), List.of()));
                order.process(exchange);
                merging.countDown();
                finish.await();
                for (TransactionSynchronization s : TransactionSynchronizationManager.getSynchronizations()) {
                    if (commit) {
                        s.afterCommit();
                    }
                    s.afterCompletion(commit ? TransactionSynchronization.STATUS_COMMITTED
                            : TransactionSynchronization.STATUS_ROLLED_BACK);
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            } finally {
                TransactionSynchronizationManager.clearSynchronization();
            }
        }, threads);
    }

    /** One writer thread: the turn, then the "merge" and a commit (the synchronizations' afterCommit). */
    private CompletableFuture<?> write(RecordBatch batch, List<Long> merged, String... keys) {
        return write(batch, merged, 1, keys);
    }

    /** As above, handing {@code abandoned} the exchange of a batch whose run was abandoned (not merged). */
    private CompletableFuture<?> write(RecordBatch batch, List<Long> merged, Consumer<Exchange> abandoned) {
        return write(batch, merged, 1, abandoned);
    }

    /** As above, with the turn step run {@code turns} times on the same exchange. */
    private CompletableFuture<?> write(RecordBatch batch, List<Long> merged, int turns, String... keys) {
        return write(batch, merged, turns, e -> { }, keys);
    }

    private CompletableFuture<?> write(RecordBatch batch, List<Long> merged, int turns,
                                       Consumer<Exchange> abandoned, String... keys) {
        List<UnifiedRecord> valid = Arrays.stream(keys)
                .map(k -> new UnifiedRecord(1, k, "n", "c", BigDecimal.ONE, "{}", "h")).toList();
        return CompletableFuture.runAsync(() -> {
            TransactionSynchronizationManager.initSynchronization();
            try {
                Exchange exchange = new DefaultExchange(camel);
                exchange.setProperty(NormalizationRoute.VALIDATED, new ValidatedBatch(batch, valid, List.of()));
                for (int i = 0; i < turns; i++) {
                    order.process(exchange);
                }
                if (exchange.getProperty(CommitOrder.ABANDONED, false, Boolean.class)) {
                    abandoned.accept(exchange); // the route rolls it back: nothing merged
                    return;
                }
                synchronizations.add(TransactionSynchronizationManager.getSynchronizations().size());
                merged.add(batch.lastLine());
                TransactionSynchronizationManager.getSynchronizations().forEach(TransactionSynchronization::afterCommit);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            } finally {
                TransactionSynchronizationManager.clearSynchronization();
            }
        }, threads);
    }

    private static RecordBatch batch(long runId, long previousLine, long lastLine) {
        return new RecordBatch("products_csv", runId, "f.csv", "hash", previousLine, lastLine, 0, List.of());
    }
}
