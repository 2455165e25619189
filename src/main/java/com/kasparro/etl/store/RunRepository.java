package com.kasparro.etl.store;

import java.lang.management.ManagementFactory;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Run and checkpoint bookkeeping that carries decisions: starting a run (and closing the runs a dead
 * process left), failing one, reading and resetting a checkpoint. A run's successful end is a
 * {@code sql:} step of its route ({@code sql/input-complete.sql}); batches are BatchWriter's.
 */
@Repository
public class RunRepository {

    private static final String START = SqlFiles.load("run-start.sql");
    private static final String FAIL = SqlFiles.load("run-fail.sql");
    private static final String RECORD_FINISHED = SqlFiles.load("run-record-finished.sql");
    private static final String INTERRUPT = SqlFiles.load("run-interrupt.sql");
    private static final String CHECKPOINT_FIND = SqlFiles.load("checkpoint-find.sql");
    private static final String CHECKPOINT_RESET = SqlFiles.load("checkpoint-reset.sql");
    private static final String CHECKPOINT_LANES = SqlFiles.load("checkpoint-lanes.sql");
    private static final String OUTCOME = SqlFiles.load("run-outcome.sql");
    private static final String LOADED_BEFORE = SqlFiles.load("file-loaded-before.sql");
    private static final String HEADER = SqlFiles.load("run-header.sql");
    private static final Logger log = LoggerFactory.getLogger(RunRepository.class);

    /** Which replica ran a run: "pid@host". */
    public static final String INSTANCE_ID = ManagementFactory.getRuntimeMXBean().getName();

    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectProvider<RunListener> listeners;

    public RunRepository(NamedParameterJdbcTemplate jdbc) {
        this(jdbc, null);
    }

    @Autowired
    public RunRepository(NamedParameterJdbcTemplate jdbc, ObjectProvider<RunListener> listeners) {
        this.jdbc = jdbc;
        this.listeners = listeners;
    }

    /** Where an input stands: the last committed line of an earlier run over the same content. */
    public record Checkpoint(long lastLine, long rowsRead, boolean completed) {
    }

    /** Starts the run of an input that arrives now: a poll. */
    public long start(String source, String trigger) {
        return start(source, trigger, null, null, null, null, null, false);
    }

    /**
     * @param inputAt   when the input arrived (a file's arrival in the inbox); null: now (a poll, a replay)
     * @param overtakes an earlier input of the source may still be loaded after this one
     */
    public long start(String source, String trigger, String fileName, String fileHash, Long fileSize,
                      Long resumedFromLine, Instant inputAt, boolean overtakes) {
        Map<String, Object> p = new HashMap<>();
        p.put("source", source);
        p.put("trigger", trigger);
        p.put("fileName", fileName);
        p.put("fileHash", fileHash);
        p.put("fileSize", fileSize);
        p.put("instanceId", INSTANCE_ID);
        p.put("resumedFromLine", resumedFromLine);
        p.put("inputAt", inputAt == null ? null : Timestamp.from(inputAt));
        p.put("overtakes", overtakes);
        return jdbc.queryForObject(START, p, Long.class);
    }

    /** Keeps a file's header line with its run, so that the run's rejected rows can be read again. */
    public void recordHeader(long runId, String headerLine) {
        jdbc.update(HEADER, Map.of("runId", runId, "headerLine", headerLine));
    }

    /** Marks a running run failed; a run already finished keeps its outcome. */
    public void fail(long runId, String error) {
        if (jdbc.update(FAIL, Map.of("runId", runId, "error", error)) > 0) {
            finished(runId);
        }
    }

    /** Records a run that is over at once: refused before reading, or skipped as a duplicate. */
    public long recordFinished(String source, String status, String trigger, String fileName, String fileHash,
                               Long fileSize, long recordsRead, String error, String note) {
        Map<String, Object> p = new HashMap<>();
        p.put("source", source);
        p.put("status", status);
        p.put("trigger", trigger);
        p.put("fileName", fileName);
        p.put("fileHash", fileHash);
        p.put("fileSize", fileSize);
        p.put("instanceId", INSTANCE_ID);
        p.put("recordsRead", recordsRead);
        p.put("recordsSkipped", "success".equals(status) ? recordsRead : 0L);
        p.put("error", error);
        p.put("note", note);
        long runId = jdbc.queryForObject(RECORD_FINISHED, p, Long.class);
        notify(runId, source, status, Duration.ZERO);
        return runId;
    }

    /**
     * Closes the runs over the same input that a dead process left running, naming the run that
     * takes over; {@code fileHash} null means the source's runs without a file (API polls).
     *
     * @return the ids of the runs marked interrupted
     */
    public List<Long> interruptOrphans(String source, String fileHash, long takenOverBy) {
        Map<String, Object> p = new HashMap<>();
        p.put("source", source);
        p.put("fileHash", fileHash);
        p.put("takenOverBy", takenOverBy);
        List<Long> interrupted = jdbc.queryForList(INTERRUPT, p, Long.class);
        interrupted.forEach(this::finished);
        return interrupted;
    }

    public Optional<Checkpoint> findCheckpoint(String source, String key) {
        List<Checkpoint> found = jdbc.query(CHECKPOINT_FIND, Map.of("source", source, "checkpointKey", key),
                (rs, i) -> new Checkpoint(rs.getLong("last_line"), rs.getLong("rows_read"),
                        rs.getBoolean("completed")));
        return found.stream().findFirst();
    }

    /**
     * Where each lane of an unfinished file stands; a file no batch of which committed gets
     * {@code lanes} lanes, one that has keeps the count its first batch had.
     */
    public LaneCheckpoints laneCheckpoints(String source, String key, int lanes) {
        List<Map<String, Object>> rows = jdbc.queryForList(CHECKPOINT_LANES, Map.of("source", source,
                "checkpointKey", key));
        if (rows.isEmpty()) {
            return LaneCheckpoints.none(lanes);
        }
        long[] lastLines = new long[((Number) rows.get(0).get("lanes")).intValue()];
        for (Map<String, Object> row : rows) {
            lastLines[((Number) row.get("lane")).intValue()] = ((Number) row.get("last_line")).longValue();
        }
        return new LaneCheckpoints(lastLines);
    }

    /** Whether this very drop of a file (same name, content and arrival) was already loaded in full. */
    public boolean loadedBefore(String source, String sha256, String fileName, Instant arrivedAt) {
        return Boolean.TRUE.equals(jdbc.queryForObject(LOADED_BEFORE, Map.of("source", source, "sha256", sha256,
                "fileName", fileName, "arrivedAt", Timestamp.from(arrivedAt)), Boolean.class));
    }

    public void resetCheckpoint(String source, String key) {
        jdbc.update(CHECKPOINT_RESET, Map.of("source", source, "checkpointKey", key));
    }

    /**
     * Tells the listeners (metrics) how a run that just ended came out; the routes call it after
     * their own {@code sql:} step closed the run.
     */
    public void finished(long runId) {
        if (listeners == null || listeners.stream().findAny().isEmpty()) {
            return;
        }
        try {
            jdbc.query(OUTCOME, Map.of("runId", runId), rs -> {
                notify(runId, rs.getString("source"), rs.getString("status"),
                        Duration.ofMillis(Math.round(rs.getDouble("seconds") * 1000)));
            });
        } catch (RuntimeException e) {
            log.warn("Could not read the outcome of run {} for the metrics: {}", runId, e.toString());
        }
    }

    private void notify(long runId, String source, String status, Duration duration) {
        if (listeners == null) {
            return;
        }
        // Bookkeeping must never fail a run's lifecycle.
        listeners.forEach(l -> {
            try {
                l.runFinished(runId, source, status, duration);
            } catch (RuntimeException e) {
                log.warn("Run listener failed for run {}", runId, e);
            }
        });
    }
}
