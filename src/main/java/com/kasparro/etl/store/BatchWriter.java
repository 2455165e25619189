package com.kasparro.etl.store;

import com.kasparro.etl.store.Batch.RawRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes one {@link Batch} in one transaction: the raw rows and rejected rows (COPY), the merge of
 * its valid records with the run's counters and the input's checkpoint ({@code sql/merge-batch.sql}),
 * its price points, if any ({@link PriceHistory}), then the source's record count
 * ({@code sql/source-stats-add.sql}). Batches of one source may be written at the same time (a
 * file's lanes, files on several replicas): the merge locks the keys it writes in key order, and
 * the rows they share (the run's, the file's checkpoint, the source's count) are locked last, up
 * to the commit; a deadlock the database still detects is a transient error, and the batch is
 * retried. Either all of it commits or none of it, so a lane's checkpoint never runs ahead of the
 * rows it covers. Commits are synchronous. A batch retried after a lost COMMIT answer finds its
 * lane's checkpoint already there and writes nothing again; a file batch that finds its lane's
 * checkpoint behind it (batches the database lost after acknowledging them) fails with
 * {@link CheckpointBehindException}, and its file resumes after the lanes' checkpoints.
 *
 * <p>Why not {@code sql:} endpoints: COPY is not a JDBC statement, and the merge binds SQL arrays,
 * which the {@code sql:} endpoint cannot. Thread-safe; one call per batch.
 */
@Component
public class BatchWriter {

    private static final Logger log = LoggerFactory.getLogger(BatchWriter.class);

    private static final String STATS_ADD = SqlFiles.load("source-stats-add.sql");
    private static final String MERGE = SqlFiles.load("merge-batch.sql");
    private static final String CHECKPOINT_LANE = SqlFiles.load("checkpoint-lane.sql");
    private static final String RESOLVE = SqlFiles.load("rejected-resolve.sql");
    private static final String COPY_RAW =
            "COPY raw_csv_data (run_id, source, file_name, line_number, row_data) FROM STDIN";
    private static final String COPY_REJECTED =
            "COPY rejected_rows (run_id, source, file_name, line_number, raw_text, raw_text_escaped, reason) FROM STDIN";

    private final NamedParameterJdbcTemplate jdbc;
    private final DataSource dataSource;
    private final TransactionTemplate transaction;
    private final PriceHistory prices;

    public BatchWriter(NamedParameterJdbcTemplate jdbc, DataSource dataSource, PlatformTransactionManager tx,
                       PriceHistory prices) {
        this.jdbc = jdbc;
        this.dataSource = dataSource;
        this.transaction = new TransactionTemplate(tx);
        this.prices = prices;
    }

    public WriteResult write(Batch batch) {
        return transaction.execute(status -> writeInTransaction(batch, status));
    }

    private WriteResult writeInTransaction(Batch batch, TransactionStatus status) {
        copy(batch);
        Map<String, Object> merged = jdbc.queryForMap(MERGE, parameters(batch));
        if (batch.checkpointKey() != null && ((Number) merged.get("checkpointed")).longValue() == 0) {
            Map<String, Object> lane = jdbc.queryForList(CHECKPOINT_LANE, Map.of("source", batch.source(),
                    "checkpointKey", batch.checkpointKey(), "lane", batch.lane().index())).stream().findFirst()
                    .orElse(Map.of("last_line", 0L, "lanes", batch.lane().count()));
            long stored = ((Number) lane.get("last_line")).longValue();
            boolean sameLanes = ((Number) lane.get("lanes")).intValue() == batch.lane().count();
            if (sameLanes && stored >= batch.lastLine()) {
                status.setRollbackOnly();
                log.warn("{}: the batch of lines {}-{} had committed before its connection failed; not written again",
                        batch.fileName(), batch.previousLine() + 1, batch.lastLine());
                return WriteResult.alreadyWritten(batch);
            }
            throw new CheckpointBehindException(batch.fileName(), batch.previousLine(), stored);
        }
        // Optional steps: a markets poll's price points commit with the records they came with; a
        // replay's loaded rows are resolved with them.
        prices.record(batch.runId(), batch.prices());
        if (batch.replayOf() != null && !batch.valid().isEmpty()) {
            resolve(batch);
        }
        long inserted = ((Number) merged.get("inserted")).longValue();
        if (inserted > 0) {
            jdbc.update(STATS_ADD, Map.of("source", batch.source(), "inserted", inserted));
        }
        return new WriteResult(batch, inserted, ((Number) merged.get("updated")).longValue(), false);
    }

    /**
     * A replayed batch's valid rows were rejected rows of {@code replayOf}: they are resolved by this
     * run in the transaction of their upsert, so a row is never loaded without being marked, nor
     * marked without being loaded.
     */
    private void resolve(Batch batch) {
        Long[] lines = batch.valid().stream().map(UnifiedRecord::line).toArray(Long[]::new);
        jdbc.update(RESOLVE, Map.of("runId", batch.runId(), "replayOf", batch.replayOf(),
                "validLines", new SqlArray("bigint", lines)));
    }

    /** The raw and rejected rows, by COPY on the transaction's own connection. */
    private void copy(Batch batch) {
        if (batch.raw().isEmpty() && batch.rejected().isEmpty()) {
            return;
        }
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            PGConnection pg = connection.unwrap(PGConnection.class);
            String batchColumns = CopyText.columns(batch.runId(), batch.source(), batch.fileName());
            if (!batch.raw().isEmpty()) {
                try (CopyText raw = CopyText.start(pg, COPY_RAW)) {
                    for (RawRow row : batch.raw()) {
                        raw.addColumns(batchColumns).add(row.line()).add(row.json()).endRow();
                    }
                    raw.finish();
                }
            }
            if (!batch.rejected().isEmpty()) {
                try (CopyText rejected = CopyText.start(pg, COPY_REJECTED)) {
                    for (Rejection r : batch.rejected()) {
                        boolean escaped = r.rawText().indexOf('\0') >= 0;
                        rejected.addColumns(batchColumns).add(r.line())
                                .add(escaped ? escapeNul(r.rawText()) : r.rawText()).add(escaped)
                                .add(r.reason()).endRow();
                    }
                    rejected.finish();
                }
            }
        } catch (SQLException e) {
            throw new UncategorizedSQLException("COPY", null, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }

    /**
     * A raw text PostgreSQL cannot store as is: its NUL characters become {@code \0} and its
     * backslashes {@code \\}, and the row's {@code raw_text_escaped} says so. Reversible, so nothing
     * of the row is lost; texts without NUL are stored exactly.
     */
    static String escapeNul(String text) {
        return text.replace("\\", "\\\\").replace("\0", "\\0");
    }

    private static Map<String, Object> parameters(Batch batch) {
        List<UnifiedRecord> records = lastPerKey(batch.valid());
        int n = records.size();
        String[] externalIds = new String[n];
        String[] names = new String[n];
        String[] categories = new String[n];
        String[] values = new String[n];
        String[] currencies = new String[n];
        String[] eventTimestamps = new String[n];
        String[] attributes = new String[n];
        String[] hashes = new String[n];
        for (int i = 0; i < n; i++) {
            UnifiedRecord u = records.get(i);
            externalIds[i] = u.externalId();
            names[i] = u.name();
            categories[i] = u.category();
            values[i] = u.value() == null ? null : u.value().toPlainString();
            currencies[i] = u.currency();
            eventTimestamps[i] = u.eventTimestamp() == null ? null : u.eventTimestamp().toString();
            attributes[i] = u.attributesJson();
            hashes[i] = u.contentHash();
        }
        Map<String, Object> p = new HashMap<>();
        p.put("externalIds", new SqlArray("text", externalIds));
        p.put("names", new SqlArray("text", names));
        p.put("categories", new SqlArray("text", categories));
        p.put("values", new SqlArray("text", values));
        p.put("currencies", new SqlArray("text", currencies));
        p.put("eventTimestamps", new SqlArray("text", eventTimestamps));
        p.put("attributes", new SqlArray("text", attributes));
        p.put("contentHashes", new SqlArray("text", hashes));
        p.put("source", batch.source());
        p.put("runId", batch.runId());
        p.put("replayOf", new SqlParameterValue(Types.BIGINT, batch.replayOf()));
        // Typed, so that a null does not make Spring ask the driver for the parameter's type.
        p.put("fileName", new SqlParameterValue(Types.VARCHAR, batch.fileName()));
        p.put("checkpointKey", new SqlParameterValue(Types.VARCHAR, batch.checkpointKey()));
        p.put("previousLine", batch.previousLine());
        p.put("lane", batch.lane().index());
        p.put("lanes", batch.lane().count());
        p.put("lastLine", batch.lastLine());
        p.put("bytesRead", batch.bytesRead());
        p.put("read", (long) batch.read());
        p.put("valid", (long) batch.valid().size()); // a key's earlier rows in the batch count as skipped
        p.put("rejected", (long) batch.rejected().size());
        return p;
    }

    /** One record per key, the batch's last row for it winning, in first-seen order. */
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
}
