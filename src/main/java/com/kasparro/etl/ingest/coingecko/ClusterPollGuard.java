package com.kasparro.etl.ingest.coingecko;

import com.kasparro.etl.store.SqlFiles;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.stereotype.Component;

/**
 * One CoinGecko poll at a time across every replica: an in-process flag first, then a PostgreSQL
 * session advisory lock held on a connection of its own for the length of the poll. Clustered
 * Quartz already fires each tick on one replica; this also covers each replica's start-up poll
 * and the admin trigger. The lock dies with its session, so a killed replica never blocks polls.
 */
@Component
public class ClusterPollGuard implements PollGuard {

    private static final Logger log = LoggerFactory.getLogger(ClusterPollGuard.class);
    /** The advisory-lock key of the CoinGecko poll ("kgko"). */
    static final long LOCK_KEY = 0x6b676b6fL;
    private static final String LOCK = SqlFiles.load("poll-lock.sql");
    private static final String UNLOCK = SqlFiles.load("poll-unlock.sql");

    private final DataSource dataSource;
    private final AtomicBoolean local = new AtomicBoolean();
    private final AtomicReference<Connection> held = new AtomicReference<>();

    public ClusterPollGuard(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public boolean tryAcquire() {
        if (!local.compareAndSet(false, true)) {
            return false;
        }
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            connection.setAutoCommit(true);
            Boolean locked = jdbc(connection).queryForObject(LOCK, Map.of("key", LOCK_KEY), Boolean.class);
            if (Boolean.TRUE.equals(locked)) {
                held.set(connection);
                return true;
            }
        } catch (SQLException | RuntimeException e) {
            log.warn("coingecko_api: cannot take the poll lock, database unavailable: {}", e.getMessage());
        }
        close(connection);
        local.set(false);
        return false;
    }

    @Override
    public void release() {
        Connection connection = held.getAndSet(null);
        if (connection != null) {
            try {
                jdbc(connection).queryForObject(UNLOCK, Map.of("key", LOCK_KEY), Boolean.class);
            } catch (RuntimeException e) {
                log.debug("Advisory unlock failed; closing the session frees it", e);
            } finally {
                close(connection);
            }
        }
        local.set(false);
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
