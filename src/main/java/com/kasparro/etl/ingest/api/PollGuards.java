package com.kasparro.etl.ingest.api;

import com.kasparro.etl.store.SqlFiles;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.ConcurrentHashMap;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import com.kasparro.etl.util.Sha256;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.stereotype.Component;

/**
 * One poll of a source at a time across every replica: an in-process flag first, then a PostgreSQL
 * session advisory lock (keyed by the source's name) held on a connection of its own for the
 * length of the poll. Clustered Quartz already fires each tick on one replica; this also covers
 * each replica's start-up poll and the admin trigger. The lock dies with its session, so a killed
 * replica never blocks polls.
 */
@Component
public class PollGuards {

    private static final Logger log = LoggerFactory.getLogger(PollGuards.class);
    private static final String LOCK = SqlFiles.load("poll-lock.sql");
    private static final String UNLOCK = SqlFiles.load("poll-unlock.sql");

    private final DataSource dataSource;
    private final Map<String, AtomicBoolean> local = new ConcurrentHashMap<>();
    private final Map<String, Connection> held = new ConcurrentHashMap<>();

    public PollGuards(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The advisory-lock key of a source's poll: the first 8 bytes of sha256("poll:" + source). */
    static long lockKey(String source) {
        return ByteBuffer.wrap(Sha256.digest().digest(("poll:" + source).getBytes(StandardCharsets.UTF_8))).getLong();
    }

    /** Takes the source's guard if it is free; never waits. */
    public boolean tryAcquire(String source) {
        AtomicBoolean mine = local.computeIfAbsent(source, s -> new AtomicBoolean());
        if (!mine.compareAndSet(false, true)) {
            return false;
        }
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            connection.setAutoCommit(true);
            Boolean locked = jdbc(connection).queryForObject(LOCK, Map.of("key", lockKey(source)), Boolean.class);
            if (Boolean.TRUE.equals(locked)) {
                held.put(source, connection);
                return true;
            }
        } catch (SQLException | RuntimeException e) {
            log.warn("{}: cannot take the poll lock, database unavailable: {}", source, e.getMessage());
        }
        close(connection);
        mine.set(false);
        return false;
    }

    /** Frees the guard taken by a successful {@link #tryAcquire(String)}. */
    public void release(String source) {
        Connection connection = held.remove(source);
        if (connection != null) {
            try {
                jdbc(connection).queryForObject(UNLOCK, Map.of("key", lockKey(source)), Boolean.class);
            } catch (RuntimeException e) {
                log.debug("Advisory unlock failed; closing the session frees it", e);
            } finally {
                close(connection);
            }
        }
        AtomicBoolean mine = local.get(source);
        if (mine != null) {
            mine.set(false);
        }
    }

    private static NamedParameterJdbcTemplate jdbc(Connection connection) {
        return new NamedParameterJdbcTemplate(new SingleConnectionDataSource(connection, true));
    }

    private static void close(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                log.debug("Closing the poll-lock connection failed", e);
            }
        }
    }
}
