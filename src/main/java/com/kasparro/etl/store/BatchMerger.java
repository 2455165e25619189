package com.kasparro.etl.store;

import com.kasparro.etl.normalize.CommitOrder;
import com.kasparro.etl.normalize.NormalizationRoute;
import com.kasparro.etl.normalize.UnifiedRecord;
import com.kasparro.etl.normalize.ValidatedBatch;
import com.kasparro.etl.observe.EtlMetrics;
import com.kasparro.etl.store.BatchLookup.Precheck;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.jdbc.core.support.AbstractSqlTypeValue;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Takes the source's write lock ({@code sql/source-write-lock.sql}) and runs
 * {@code sql/merge-batch.sql} for a validated batch, in the batch's transaction, and leaves its
 * result (a map with {@code inserted} and {@code updated}) in the {@link NormalizationRoute#MERGED}
 * header. When {@link BatchLookup} looked the keys up early and that lookup still holds, only the
 * new and changed records are merged, without a second lookup. Otherwise the merge looks every key
 * up: in one index scan once {@code unified_records} has planner statistics ({@link RecordStatistics},
 * which asks the database only until they exist), else one index probe per key.
 *
 * <p>Why a processor and not the {@code sql:} endpoint: the valid records go to the statement as
 * parallel arrays ({@code unnest}), which replaced a COPY into a staging table plus its delete
 * (measured: the staging round trip, heap, index and delete were the largest share of a batch), and
 * the {@code sql:} endpoint cannot bind SQL arrays. It also asked the driver for the statement's
 * parameter metadata on every batch, one more round trip each time.
 */
@Component
public class BatchMerger implements Processor {

    private static final String WRITE_LOCK = SqlFiles.load("source-write-lock.sql");
    private static final String MERGE = SqlFiles.load("merge-batch.sql");
    private static final String CHECKPOINT_LINE = SqlFiles.load("checkpoint-line.sql");

    private final NamedParameterJdbcTemplate jdbc;
    private final CommitOrder commitOrder;
    private final EtlMetrics metrics;
    private final RecordStatistics statistics;

    public BatchMerger(NamedParameterJdbcTemplate jdbc, CommitOrder commitOrder, EtlMetrics metrics,
                       RecordStatistics statistics) {
        this.jdbc = jdbc;
        this.commitOrder = commitOrder;
        this.metrics = metrics;
        this.statistics = statistics;
    }

    @Override
    public void process(Exchange exchange) {
        ValidatedBatch batch = exchange.getProperty(NormalizationRoute.VALIDATED, ValidatedBatch.class);
        String source = batch.input().source();
        // The template takes the connection that Camel's transacted() bound to this thread.
        // Before the merge's snapshot: the merge relies on being its source's only writer.
        List<Long> writeSeq = jdbc.queryForList(WRITE_LOCK, Map.of("source", source), Long.class);
        if (writeSeq.isEmpty()) {
            throw new IllegalStateException("source_stats has no row for source " + source
                    + " (migration V1 creates one per source): its writes cannot be serialised");
        }
        Precheck precheck = exchange.getProperty(BatchLookup.PRECHECK, Precheck.class);
        boolean reuse = precheck != null && precheck.holds(writeSeq.get(0), batch.input(), commitOrder);
        if (precheck != null) {
            metrics.earlyLookup(source, reuse);
        }
        Map<String, Object> parameters = reuse
                ? parameters(batch, precheck.changed(), precheck.existingIds(), true, false)
                : parameters(batch, precheck != null ? precheck.records() : lastPerKey(batch.valid()), new Long[0], false,
                        statistics.present());
        Map<String, Object> merged = jdbc.queryForMap(MERGE, parameters);
        if (batch.input().checkpointKey() != null && ((Number) merged.get("checkpointed")).longValue() == 0) {
            List<Long> stored = jdbc.queryForList(CHECKPOINT_LINE, Map.of("source", source,
                    "checkpointKey", batch.input().checkpointKey()), Long.class);
            throw new CheckpointDivergedException(batch.input(), stored.isEmpty() ? 0 : stored.get(0));
        }
        // The scalar parameters stay as headers, as the sql: endpoint had them: BatchObserver reads them.
        parameters.forEach((name, value) -> {
            if (!(value instanceof AbstractSqlTypeValue)) {
                exchange.getIn().setHeader(name, value instanceof SqlParameterValue v ? v.getValue() : value);
            }
        });
        exchange.getIn().setHeader(NormalizationRoute.MERGED, merged);
    }

    /**
     * The merge's parameters: {@code valid} are the records to merge (one per key); with
     * {@code prechecked}, the existing ids found by {@link BatchLookup} (null: new), one per record.
     * Otherwise the merge looks the keys up, with {@code keysAtOnce} in one index scan.
     */
    private static Map<String, Object> parameters(ValidatedBatch batch, List<UnifiedRecord> valid, Long[] existingIds,
                                                  boolean prechecked, boolean keysAtOnce) {
        var input = batch.input();
        int n = valid.size();
        String[] externalIds = new String[n];
        String[] names = new String[n];
        String[] categories = new String[n];
        String[] values = new String[n];
        String[] attributes = new String[n];
        String[] hashes = new String[n];
        for (int i = 0; i < n; i++) {
            UnifiedRecord u = valid.get(i);
            externalIds[i] = u.externalId();
            names[i] = u.name();
            categories[i] = u.category();
            values[i] = u.value() == null ? null : u.value().toPlainString();
            attributes[i] = u.attributesJson();
            hashes[i] = u.contentHash();
        }
        Map<String, Object> p = new HashMap<>();
        p.put("externalIds", array("text", externalIds));
        p.put("names", array("text", names));
        p.put("categories", array("text", categories));
        p.put("values", array("text", values));
        p.put("attributes", array("text", attributes));
        p.put("contentHashes", array("text", hashes));
        p.put("existingIds", array("bigint", existingIds));
        p.put("prechecked", prechecked);
        p.put("keysAtOnce", keysAtOnce);
        p.put("source", input.source());
        p.put("runId", input.runId());
        // Typed, so that a null does not make Spring ask the driver for the parameter's type.
        p.put("fileName", new SqlParameterValue(Types.VARCHAR, input.fileName()));
        p.put("checkpointKey", new SqlParameterValue(Types.VARCHAR, input.checkpointKey()));
        p.put("previousLine", input.previousLine());
        p.put("lastLine", input.lastLine());
        p.put("bytesRead", input.bytesRead());
        p.put("read", (long) batch.read());
        p.put("valid", (long) batch.valid().size()); // a key's earlier rows in the batch count as skipped
        p.put("rejected", (long) batch.rejected().size());
        return p;
    }

    /**
     * One record per key, the batch's last row for it winning, in first-seen order. Done here rather
     * than with {@code DISTINCT ON} in the merge: that sorted every batch by key, in PostgreSQL,
     * for the rare batch that repeats one.
     */
    static List<UnifiedRecord> lastPerKey(List<UnifiedRecord> records) {
        Map<String, Integer> seen = new HashMap<>(records.size() * 2);
        List<UnifiedRecord> unique = new ArrayList<>(records.size());
        for (UnifiedRecord r : records) {
            Integer at = seen.putIfAbsent(r.externalId(), unique.size());
            if (at == null) {
                unique.add(r);
            } else {
                unique.set(at, r);
            }
        }
        return unique;
    }

    /** A SQL array built on the statement's own connection (not a Java array: Spring would expand that). */
    static AbstractSqlTypeValue array(String elementType, Object[] elements) {
        return new AbstractSqlTypeValue() {
            @Override
            protected Object createTypeValue(Connection connection, int sqlType, String typeName) throws SQLException {
                return connection.createArrayOf(elementType, elements);
            }
        };
    }
}
