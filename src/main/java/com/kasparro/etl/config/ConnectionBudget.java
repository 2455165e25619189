package com.kasparro.etl.config;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Refuses to start with a connection pool that can stall a file for good.
 *
 * <p>A file's batch holds its transaction's connection while it waits for its turn to commit
 * ({@code CommitOrder}). Per CSV source at most {@code batch-writers + 1} batches have started (the
 * pool's threads, and the reading thread running one itself when the queue is full); one of them is
 * the batch whose turn it is, the others wait for it. If those waiting batches of both sources
 * held every connection, the batch whose turn it is could never get one: it times out, is retried
 * with back-off, and times out again. Seen: 12 writers of one source on 5 connections, and 6 writers
 * per source on 7; the files never finished and the tests' own queries timed out. So the pool needs
 * {@code 2 x batch-writers} for the waiting batches, one that a CoinGecko poll keeps for its lock,
 * and one more for the batches whose turn it is. Other users (Quartz, health, /stats) only hold a
 * connection briefly; a pool at this minimum makes them wait during large files, not stall.
 *
 * <p>8ae3d00 had a stricter bound (2 x (writers + 1) + 4) and was reverted in 3e0f29a: it refused
 * working settings (3 writers on the default 10) for a failure not yet seen. This bound is the
 * one the argument above needs, and the failure has now been seen.
 */
@Component
public class ConnectionBudget {

    static final String POOL_SIZE = "spring.datasource.hikari.maximum-pool-size";
    /** products_csv and vendors_csv: their files are processed at the same time. */
    static final int CSV_SOURCES = 2;

    private static final Logger log = LoggerFactory.getLogger(ConnectionBudget.class);

    public ConnectionBudget(DataSource dataSource, EtlProperties properties) throws SQLException {
        int writers = properties.batchWriters();
        int needed = required(writers);
        if (!dataSource.isWrapperFor(HikariDataSource.class)) {
            log.warn("Not a Hikari pool ({}): make sure it has at least {} connections for etl.batch-writers={}",
                    dataSource.getClass().getName(), needed, writers);
            return;
        }
        int size = dataSource.unwrap(HikariDataSource.class).getMaximumPoolSize();
        if (size < needed) {
            throw new InvalidSettingException(POOL_SIZE, size, "must be at least " + needed
                    + " for etl.batch-writers=" + writers + " (" + CSV_SOURCES + " CSV sources x " + writers
                    + " batches waiting for their turn, each holding a connection, + 1 for CoinGecko's poll lock"
                    + " + 1 for the batches whose turn it is); raise it"
                    + " (SPRING_DATASOURCE_HIKARI_MAXIMUMPOOLSIZE) or lower etl.batch-writers");
        }
    }

    static int required(int batchWriters) {
        return CSV_SOURCES * batchWriters + 2;
    }
}
