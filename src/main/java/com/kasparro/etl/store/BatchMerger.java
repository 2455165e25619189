package com.kasparro.etl.store;

import com.kasparro.etl.normalize.CommitOrder;
import com.kasparro.etl.normalize.NormalizationRoute;
import com.kasparro.etl.normalize.UnifiedRecord;
import com.kasparro.etl.normalize.ValidatedBatch;
import com.kasparro.etl.observe.EtlMetrics;
import com.kasparro.etl.store.BatchLookup.Precheck;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.dao.support.DataAccessUtils;
import org.springframework.jdbc.core.ColumnMapRowMapper;
import org.springframework.jdbc.core.ConnectionCallback;
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
 * which asks the database only until they exist), else one index probe per key. Without an early
 * lookup, the merge's parameters are built before the batch's commit turn ({@link #prepare}), and
 * the lock and the merge go to the database in one round trip.
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
    private static final String LOCK_THEN_MERGE = WRITE_LOCK + ";\n" + MERGE;

    /** Exchange property: the merge's parameters, built before the commit turn ({@link #prepare}). */
    static final String PREPARED = "etl.mergeParameters";

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

    /**
     * Before the commit turn, while the batch ahead merges: when the merge's parameters do not
     * depend on the write lock (no early lookup, as on a first load), builds them and encodes their
     * arrays on the batch's connection, so that in its turn the batch only sends them, with the
     * lock, in one round trip ({@link #process}). Timed on the 1M-row bench (2 writers), of the
     * ~17-23 ms a batch spent in its turn, building them took 0.3-0.4 ms and the lock's own round
     * trip 0.8-1.0 ms.
     */
    public void prepare(Exchange exchange) {
        exchange.removeProperty(PREPARED); // a redelivered batch has a new connection
        if (exchange.getProperty(BatchLookup.PRECHECK) != null) {
            return;
        }
        ValidatedBatch batch = exchange.getProperty(NormalizationRoute.VALIDATED, ValidatedBatch.class);
        Map<String, Object> parameters = parameters(batch, lastPerKey(batch.valid()), new Long[0], false,
                statistics.present());
        jdbc.getJdbcOperations().execute((ConnectionCallback<Void>) connection -> {
            for (Map.Entry<String, Object> p : parameters.entrySet()) {
                if (p.getValue() instanceof SqlArray array) {
                    p.setValue(array.on(connection));
                }
            }
            return null;
        });
        exchange.setProperty(PREPARED, parameters);
    }

    @Override
    public void process(Exchange exchange) {
        ValidatedBatch batch = exchange.getProperty(NormalizationRoute.VALIDATED, ValidatedBatch.class);
        String source = batch.input().source();
        Precheck precheck = exchange.getProperty(BatchLookup.PRECHECK, Precheck.class);
        Map<String, Object> parameters;
        Map<String, Object> merged;
        // The template takes the connection that Camel's transacted() bound to this thread.
        if (precheck == null) {
            @SuppressWarnings("unchecked")
            Map<String, Object> prepared = exchange.getProperty(PREPARED, Map.class);
            if (prepared == null) {
                throw new IllegalStateException("merge-batch without prepare-merge: the merge's parameters were not built");
            }
            parameters = prepared;
            LockedMerge result = jdbc.execute(LOCK_THEN_MERGE, parameters, BatchMerger::lockThenMerge);
            requireWriteSeq(result.writeSeq(), source); // the merge ran unserialised: this rolls it back
            merged = result.merged();
        } else {
            // Before the merge's snapshot: the merge relies on being its source's only writer.
            long writeSeq = requireWriteSeq(
                    DataAccessUtils.singleResult(jdbc.queryForList(WRITE_LOCK, Map.of("source", source), Long.class)),
                    source);
            boolean reuse = precheck.holds(writeSeq, batch.input(), commitOrder);
            metrics.earlyLookup(source, reuse);
            parameters = reuse
                    ? parameters(batch, precheck.changed(), precheck.existingIds(), true, false)
                    : parameters(batch, precheck.records(), new Long[0], false, statistics.present());
            merged = jdbc.queryForMap(MERGE, parameters);
        }
        if (batch.input().checkpointKey() != null && ((Number) merged.get("checkpointed")).longValue() == 0) {
            List<Long> stored = jdbc.queryForList(CHECKPOINT_LINE, Map.of("source", source,
                    "checkpointKey", batch.input().checkpointKey()), Long.class);
            throw new CheckpointDivergedException(batch.input(), stored.isEmpty() ? 0 : stored.get(0));
        }
        // The scalar parameters stay as headers, as the sql: endpoint had them: BatchObserver reads them.
        parameters.forEach((name, value) -> {
            if (!(value instanceof SqlArray || value instanceof Array)) {
                exchange.getIn().setHeader(name, value instanceof SqlParameterValue v ? v.getValue() : value);
            }
        });
        exchange.getIn().setHeader(NormalizationRoute.MERGED, merged);
    }

    /** The source's merge count from its write lock; none means the lock was not taken. */
    private static long requireWriteSeq(Long writeSeq, String source) {
        if (writeSeq == null) {
            throw new IllegalStateException("source_stats has no row for source " + source
                    + " (migration V1 creates one per source): its writes cannot be serialised");
        }
        return writeSeq;
    }

    /**
     * The write lock and then the merge, sent together: pgjdbc sends both statements of the query
     * before it reads any reply, and PostgreSQL runs them one after the other. The merge's snapshot
     * is taken after the lock is granted, as with two round trips (each statement of READ COMMITTED
     * takes its own; BatchLookupTest shows that a batch that waited for the lock finds what the writer
     * before it committed).
     */
    private static LockedMerge lockThenMerge(PreparedStatement statement) throws SQLException {
        statement.execute();
        Long writeSeq;
        try (ResultSet lock = statement.getResultSet()) {
            writeSeq = lock.next() ? lock.getLong(1) : null;
        }
        if (!statement.getMoreResults()) {
            throw new IllegalStateException("the merge after the source's write lock returned no result");
        }
        try (ResultSet merge = statement.getResultSet()) {
            if (!merge.next()) {
                throw new IllegalStateException("the merge returned no row");
            }
            return new LockedMerge(writeSeq, new ColumnMapRowMapper().mapRow(merge, 0));
        }
    }

    /** One round trip's replies: the source's merge count (null: no such source), and the merge's row. */
    private record LockedMerge(Long writeSeq, Map<String, Object> merged) {
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
    static SqlArray array(String elementType, Object[] elements) {
        return new SqlArray(elementType, elements);
    }

    /** A SQL array, built on the connection when the statement binds it, or before by {@link #on}. */
    static final class SqlArray extends AbstractSqlTypeValue {

        private final String elementType;
        private final Object[] elements;

        SqlArray(String elementType, Object[] elements) {
            this.elementType = elementType;
            this.elements = elements;
        }

        Array on(Connection connection) throws SQLException {
            return connection.createArrayOf(elementType, elements);
        }

        @Override
        protected Object createTypeValue(Connection connection, int sqlType, String typeName) throws SQLException {
            return on(connection);
        }
    }
}
