package com.kasparro.etl.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.kasparro.etl.normalize.CommitOrder;
import com.kasparro.etl.normalize.NormalizationRoute;
import com.kasparro.etl.normalize.RecordBatch;
import com.kasparro.etl.normalize.UnifiedRecord;
import com.kasparro.etl.normalize.ValidatedBatch;
import com.kasparro.etl.observe.EtlMetrics;
import com.kasparro.etl.support.EtlIntegrationTest;
import com.kasparro.etl.support.TestDatabase;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The early lookup (BatchLookup) against the real merge: reused when nothing wrote the source since,
 * and not trusted when another input, or an earlier batch of the same run, wrote one of its keys
 * between the lookup and the merge; and a batch whose lock and merge go in one round trip, waiting
 * for the lock, finds what the writer before it committed. Each batch is written as the
 * normalization route writes it (lookup, merge parameters, commit turn, merge, in one transaction),
 * with the interfering write committed by another thread in the gap.
 */
@EtlIntegrationTest
class BatchLookupTest {

    private static final String SOURCE = "products_csv";

    @Autowired
    BatchLookup lookup;
    @Autowired
    BatchMerger merger;
    @Autowired
    CommitOrder commitOrder;
    @Autowired
    RunRepository runs;
    @Autowired
    CamelContext camel;
    @Autowired
    PlatformTransactionManager transactionManager;
    @Autowired
    JdbcTemplate jdbcTemplate;
    @Autowired
    NamedParameterJdbcTemplate jdbc;
    @Autowired
    EtlMetrics metrics;

    TestDatabase db;

    @BeforeEach
    void reset() {
        db = new TestDatabase(jdbcTemplate);
        db.reset();
    }

    @Test
    void aReDropIsLookedUpEarlyAndOnlyItsNewAndChangedRecordsAreMerged() {
        seed("k1=h1", "k2=h1");
        analyze();
        long run = openRun("a.csv");
        assertThat(write(batch(run, 0, 100, "k1=h1", "k2=h1"), null)).as("a run's first batch: merged as before")
                .containsEntry("lookedUpEarly", false).containsEntry("prechecked", false);

        assertThat(write(batch(run, 100, 200, "k1=h1", "k2=h2", "k3=h1"), null))
                .containsEntry("lookedUpEarly", true).containsEntry("prechecked", true)
                .containsEntry("inserted", 1L).containsEntry("updated", 1L);

        assertThat(hashes()).containsExactly("k1=h1", "k2=h2", "k3=h1");
        assertThat(db.row("SELECT records_inserted, records_updated, records_skipped FROM etl_runs WHERE id = ?", run))
                .containsEntry("records_inserted", 1L).containsEntry("records_updated", 1L)
                .containsEntry("records_skipped", 3L);
        assertThat(db.count("SELECT record_count FROM source_stats WHERE source = ?", SOURCE)).isEqualTo(3);
    }

    @Test
    void aFirstLoadKeepsTheLookupInTheMerge() {
        long run = openRun("a.csv");
        write(batch(run, 0, 100, "n1=h1", "n2=h1"), null);

        assertThat(write(batch(run, 100, 200, "n3=h1", "n1=h2"), null)).as("the batch before was all new")
                .containsEntry("lookedUpEarly", false).containsEntry("inserted", 1L).containsEntry("updated", 1L);
    }

    @Test
    void aWriteByAnotherInputBetweenTheLookupAndTheMergeIsNotMissed() {
        long run = reDropAfterItsFirstBatch("k1=h1");

        // Run a's second batch finds k1 unchanged; before its merge, b.csv sets k1 to h2 and commits.
        Map<String, Object> merged = write(batch(run, 100, 200, "k1=h1", "k2=h1"), () -> seed("k1=h2"));

        assertThat(merged).containsEntry("lookedUpEarly", true).containsEntry("prechecked", false)
                .containsEntry("inserted", 1L).containsEntry("updated", 1L);
        assertThat(hashes()).as("a.csv committed last: its k1 wins").containsExactly("k1=h1", "k2=h1");
    }

    @Test
    void aKeyTheRunsOwnEarlierBatchWroteSinceTheLookupIsNotMissed() {
        long run = reDropAfterItsFirstBatch("k0=h1");

        // The third batch is looked up (k5 is new) while the second, which inserts k5, has not committed.
        Map<String, Object> third = write(batch(run, 200, 300, "k5=h3", "k6=h1"),
                () -> write(batch(run, 100, 200, "k5=h2"), null));

        assertThat(third).containsEntry("lookedUpEarly", true).containsEntry("prechecked", false)
                .containsEntry("inserted", 1L).containsEntry("updated", 1L);
        assertThat(hashes()).containsExactly("k0=h1", "k5=h3", "k6=h1");
    }

    @Test
    void withoutPlannerStatisticsTheMergeLooksTheKeysUpOneByOne() {
        seed("k1=h1", "k2=h1");
        // As on a table no ANALYZE has seen yet: the plans of the = ANY lookups would not be safe.
        jdbcTemplate.execute("DELETE FROM pg_statistic WHERE starelid = CAST('unified_records' AS regclass)");
        RecordStatistics statistics = new RecordStatistics(jdbc);
        BatchLookup freshLookup = new BatchLookup(jdbc, commitOrder, statistics);
        BatchMerger freshMerger = new BatchMerger(jdbc, commitOrder, metrics, statistics);
        long run = openRun("a.csv");
        assertThat(write(freshLookup, freshMerger, batch(run, 0, 100, "k1=h1", "k2=h1"), null))
                .containsEntry("keysAtOnce", false).containsEntry("inserted", 0L).containsEntry("updated", 0L);

        assertThat(write(freshLookup, freshMerger, batch(run, 100, 200, "k1=h1", "k2=h2", "k3=h1"), null))
                .containsEntry("lookedUpEarly", false).containsEntry("keysAtOnce", false)
                .containsEntry("inserted", 1L).containsEntry("updated", 1L);

        analyze();
        assertThat(write(freshLookup, freshMerger, batch(run, 200, 300, "k1=h3"), null)).as("once statistics exist")
                .containsEntry("lookedUpEarly", true).containsEntry("prechecked", true).containsEntry("updated", 1L);
        assertThat(hashes()).containsExactly("k1=h3", "k2=h2", "k3=h1");
    }

    @Test
    void withPlannerStatisticsTheMergeLooksAllTheKeysOfABatchUpAtOnce() {
        seed("k1=h1", "k2=h1", "k4=h1");
        analyze();
        long run = openRun("a.csv");

        // A run's first batch is not looked up early: the merge finds the stored keys itself.
        assertThat(write(batch(run, 0, 100, "k1=h1", "k2=h2", "k3=h1", "k5=h1"), null))
                .containsEntry("lookedUpEarly", false).containsEntry("keysAtOnce", true)
                .containsEntry("inserted", 2L).containsEntry("updated", 1L);

        assertThat(hashes()).containsExactly("k1=h1", "k2=h2", "k3=h1", "k4=h1", "k5=h1");
        assertThat(db.row("SELECT records_inserted, records_updated, records_skipped FROM etl_runs WHERE id = ?", run))
                .containsEntry("records_inserted", 2L).containsEntry("records_updated", 1L)
                .containsEntry("records_skipped", 1L);
        assertThat(db.count("SELECT record_count FROM source_stats WHERE source = ?", SOURCE)).isEqualTo(5);
    }

    @Test
    void aBatchThatWaitedForTheWriteLockFindsWhatTheWriterBeforeItCommitted() throws Exception {
        long other = openRun("b.csv");
        long run = openRun("a.csv");
        CountDownLatch merged = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // b.csv merges k1 and holds its transaction (and so the source's write lock) open.
        CompletableFuture<Map<String, Object>> first = CompletableFuture.supplyAsync(() ->
                write(lookup, merger, batch(other, 0, 10, "k1=h1"), null, () -> {
                    merged.countDown();
                    awaitQuietly(release);
                }));
        assertThat(merged.await(30, TimeUnit.SECONDS)).isTrue();

        // a.csv's first batch (no early lookup: lock and merge in one round trip) waits for the lock.
        CompletableFuture<Map<String, Object>> second = CompletableFuture.supplyAsync(() ->
                write(batch(run, 0, 100, "k1=h2", "k2=h1"), null));
        // Waiting in the write lock's statement (or, were the lock not taken, in the merge's INSERT).
        await().atMost(Duration.ofSeconds(30)).until(() -> db.count("SELECT count(*) FROM pg_stat_activity "
                + "WHERE datname = current_database() AND wait_event_type = 'Lock' "
                + "AND (query LIKE '%-- Taken by a batch%' OR query LIKE '%-- One batch, one statement%')") == 1);
        release.countDown();

        assertThat(first.get(30, TimeUnit.SECONDS)).containsEntry("inserted", 1L);
        assertThat(second.get(30, TimeUnit.SECONDS)).as("its merge's snapshot came after the lock: k1 is found")
                .containsEntry("prepared", true).containsEntry("inserted", 1L).containsEntry("updated", 1L);
        assertThat(hashes()).containsExactly("k1=h2", "k2=h1");
        assertThat(db.count("SELECT record_count FROM source_stats WHERE source = ?", SOURCE)).isEqualTo(2);
    }

    @Test
    void withoutItsSourceStatsRowASourceMergesNothingOnEitherPath() {
        long run = reDropAfterItsFirstBatch("k1=h1");
        long other = openRun("c.csv");
        jdbcTemplate.update("DELETE FROM source_stats WHERE source = ?", SOURCE);
        try {
            assertThatThrownBy(() -> write(batch(run, 100, 200, "k1=h2", "k2=h1"), null))
                    .as("looked up early: the lock alone, then the merge")
                    .hasMessageContaining("source_stats has no row for source " + SOURCE);
            assertThatThrownBy(() -> write(batch(other, 0, 100, "k3=h1"), null))
                    .as("a run's first batch: lock and merge in one round trip, the merge rolled back")
                    .hasMessageContaining("source_stats has no row for source " + SOURCE);
            assertThat(hashes()).containsExactly("k1=h1");
        } finally {
            jdbcTemplate.update("INSERT INTO source_stats (source) VALUES (?) ON CONFLICT DO NOTHING", SOURCE);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Run a.csv over records another file stored (analysed, so that the early lookup may run), with
     * its first batch, lines 1-100, of the same records committed: its next batches are looked up early.
     */
    private long reDropAfterItsFirstBatch(String... stored) {
        seed(stored);
        analyze();
        long run = openRun("a.csv");
        write(batch(run, 0, 100, stored), null);
        return run;
    }

    private void analyze() {
        jdbcTemplate.execute("ANALYZE unified_records");
    }

    /** Records written by another file's run, of one batch. */
    private void seed(String... records) {
        long other = runs.start(SOURCE, "file", "b.csv", "hash-b", 1L, null);
        commitOrder.open(other, 0);
        write(batch(other, 0, 10, records), null);
        commitOrder.close(other);
    }

    private long openRun(String fileName) {
        long run = runs.start(SOURCE, "file", fileName, "hash-" + fileName, 1L, null);
        commitOrder.open(run, 0);
        return run;
    }

    /**
     * One batch's transaction as the route runs it (lookup, commit turn, merge); {@code inTheGap}
     * runs on another thread and commits between the early lookup and the commit turn.
     */
    private Map<String, Object> write(Exchange exchange, Runnable inTheGap) {
        return write(lookup, merger, exchange, inTheGap);
    }

    private Map<String, Object> write(BatchLookup lookup, BatchMerger merger, Exchange exchange, Runnable inTheGap) {
        return write(lookup, merger, exchange, inTheGap, null);
    }

    /** As above; {@code beforeCommit} runs on this thread after the merge, before the commit. */
    private Map<String, Object> write(BatchLookup lookup, BatchMerger merger, Exchange exchange, Runnable inTheGap,
                                      Runnable beforeCommit) {
        new TransactionTemplate(transactionManager).executeWithoutResult(status -> {
            try {
                lookup.process(exchange);
                merger.prepare(exchange);
                if (inTheGap != null) {
                    CompletableFuture.runAsync(inTheGap).join();
                }
                commitOrder.process(exchange);
                merger.process(exchange);
                if (beforeCommit != null) {
                    beforeCommit.run();
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        @SuppressWarnings("unchecked")
        Map<String, Object> merged = exchange.getIn().getHeader(NormalizationRoute.MERGED, Map.class);
        return Map.of("lookedUpEarly", exchange.getProperty(BatchLookup.PRECHECK) != null,
                "prepared", exchange.getProperty(BatchMerger.PREPARED) != null,
                "prechecked", exchange.getIn().getHeader("prechecked"),
                "keysAtOnce", exchange.getIn().getHeader("keysAtOnce"),
                "inserted", ((Number) merged.get("inserted")).longValue(),
                "updated", ((Number) merged.get("updated")).longValue());
    }

    /** A batch of run {@code run} continuing from {@code previousLine}, of {@code "key=hash"} records. */
    private Exchange batch(long run, long previousLine, long lastLine, String... records) {
        RecordBatch input = new RecordBatch(SOURCE, run, "f.csv", "file-hash-" + run, previousLine, lastLine, 0,
                List.of());
        List<UnifiedRecord> valid = Arrays.stream(records).map(r -> r.split("="))
                .map(kv -> new UnifiedRecord(1, kv[0], "name", "cat", BigDecimal.ONE, "{}", kv[1])).toList();
        Exchange exchange = new DefaultExchange(camel);
        exchange.setProperty(NormalizationRoute.VALIDATED, new ValidatedBatch(input, valid, List.of()));
        return exchange;
    }

    private List<String> hashes() {
        return db.rows("SELECT external_id || '=' || content_hash AS r FROM unified_records WHERE source = ? "
                + "ORDER BY external_id", SOURCE).stream().map(r -> (String) r.get("r")).toList();
    }
}
