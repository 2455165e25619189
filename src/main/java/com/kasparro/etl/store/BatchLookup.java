package com.kasparro.etl.store;

import com.kasparro.etl.normalize.CommitOrder;
import com.kasparro.etl.normalize.NormalizationRoute;
import com.kasparro.etl.normalize.RecordBatch;
import com.kasparro.etl.normalize.UnifiedRecord;
import com.kasparro.etl.normalize.ValidatedBatch;
import java.sql.Array;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Looks a file batch's keys up before the batch waits for its turn to merge ({@code sql/batch-lookup.sql}),
 * so that the merge, which runs one batch at a time in the commit chain, need not: on a re-drop
 * almost every key is unchanged and that lookup was most of the merge.
 *
 * <p>The lookup's snapshot is older than the merge's. {@link Precheck#holds} decides, at the turn
 * and under the source's write lock, whether it still holds: the source's merge count
 * ({@code source_stats.write_seq}) must have grown by exactly the run's own batches committed
 * since the snapshot (known from the run's checkpoint in it), and none of those batches may share
 * a key with this one. Otherwise the merge looks everything up itself, as it always did.
 *
 * <p>Only batches that follow one which found at least half of its keys already stored are looked
 * up early: a re-drop, where the merge would otherwise spend most of its turn finding unchanged
 * rows. A first load keeps the lookup in the merge, as before: in alternated benchmark runs,
 * moving it out did not make first loads faster, and it costs a second round trip. Batches written one at a
 * time (the API's) skip this step, and so does every batch while {@code unified_records} has no
 * planner statistics ({@link RecordStatistics}): the lookup's plan is only safe with them.
 */
@Component
public class BatchLookup implements Processor {

    /** Exchange property: the {@link Precheck} of the batch, when it was looked up early. */
    public static final String PRECHECK = "etl.precheck";

    private static final String LOOKUP = SqlFiles.load("batch-lookup.sql");

    private final NamedParameterJdbcTemplate jdbc;
    private final CommitOrder commitOrder;
    private final RecordStatistics statistics;

    public BatchLookup(NamedParameterJdbcTemplate jdbc, CommitOrder commitOrder, RecordStatistics statistics) {
        this.jdbc = jdbc;
        this.commitOrder = commitOrder;
        this.statistics = statistics;
    }

    @Override
    public void process(Exchange exchange) {
        ValidatedBatch batch = exchange.getProperty(NormalizationRoute.VALIDATED, ValidatedBatch.class);
        RecordBatch input = batch.input();
        exchange.removeProperty(PRECHECK); // a redelivered batch looks up afresh
        // Only where most keys are already stored (a re-drop): on a first load the merge inserts
        // nearly every row anyway, and its own lookup of new keys is cheap next to that.
        if (input.checkpointKey() == null || batch.valid().isEmpty() || !commitOrder.lastBatchMostlyStored(input.runId())
                || !statistics.present()) {
            return;
        }
        List<UnifiedRecord> unique = BatchMerger.lastPerKey(batch.valid());
        String[] keys = new String[unique.size()];
        String[] hashes = new String[unique.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = unique.get(i).externalId();
            hashes[i] = unique.get(i).contentHash();
        }
        Map<String, Object> row = jdbc.queryForMap(LOOKUP, Map.of(
                "externalIds", BatchMerger.array("text", keys), "contentHashes", BatchMerger.array("text", hashes),
                "source", input.source(), "checkpointKey", input.checkpointKey(), "runId", input.runId()));
        exchange.setProperty(PRECHECK, new Precheck(unique, (Long) row.get("write_seq"),
                (Long) row.get("checkpoint_line"), longs(row.get("positions")), longs(row.get("existing_ids"))));
    }

    private static Long[] longs(Object array) {
        return array == null ? new Long[0] : (Long[]) elements(array);
    }

    private static Object elements(Object array) {
        try {
            return ((Array) array).getArray();
        } catch (SQLException e) {
            throw new IllegalStateException("reading the batch lookup's arrays", e);
        }
    }

    /**
     * An early lookup's result: the batch's records (one per key), the positions (1-based) of the
     * new and changed ones with the existing record's id (null when new), and what the
     * snapshot saw of the source's merge count and the run's checkpoint.
     */
    public record Precheck(List<UnifiedRecord> records, Long writeSeq, Long checkpointLine,
                           Long[] positions, Long[] existingIds) {

        /**
         * Whether the lookup still holds for {@code batch} now that the source's merge count is
         * {@code writeSeqNow} (read under the write lock).
         */
        public boolean holds(long writeSeqNow, RecordBatch batch, CommitOrder commitOrder) {
            if (writeSeq == null || checkpointLine == null) {
                return false; // the run had committed nothing yet at the snapshot: its position there is unknown
            }
            List<Set<String>> ownSince = commitOrder.committedKeys(batch.runId(), checkpointLine, batch.previousLine());
            if (ownSince == null || writeSeqNow != writeSeq + ownSince.size()) {
                return false; // another input's merge committed since the snapshot, or it cannot be told
            }
            for (Set<String> written : ownSince) {
                for (UnifiedRecord r : records) {
                    if (written.contains(r.externalId())) {
                        return false; // an earlier batch of this run wrote one of these keys since
                    }
                }
            }
            return true;
        }

        /** The new and changed records, in batch order. */
        public List<UnifiedRecord> changed() {
            return Arrays.stream(positions).map(p -> records.get((int) (p - 1))).toList();
        }
    }
}
