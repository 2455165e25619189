package com.kasparro.etl.config;

import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Refuses to start with a connection pool too small for {@code etl.batch-writers}.
 *
 * <p>Why: a file's batch holds its transaction's connection while it waits for its turn to commit
 * ({@code CommitOrder}). With more such batches than pooled connections, the batch whose turn it is
 * cannot get one: it times out, is retried with back-off, and times out again, while the later
 * batches wait for it forever. Seen with 12 writers and 5 connections: the run never finished and
 * every other database user (health, /stats) timed out too. Each CSV source holds at most
 * {@code batch-writers + 1} batch transactions (the pool's threads, and the reading thread running
 * one itself when the pool's queue is full); CoinGecko holds two (its poll lock and a batch), and
 * Quartz's job store and the HTTP endpoints need a connection now and then.
 */
@Component
public class ConnectionBudget {

    static final String POOL_SIZE = "spring.datasource.hikari.maximum-pool-size";
    /** products_csv and vendors_csv: their files are processed at the same time. */
    static final int CSV_SOURCES = 2;
    /** CoinGecko's poll lock and batch, Quartz's job store, the HTTP endpoints. */
    static final int RESERVE = 4;

    private static final Logger log = LoggerFactory.getLogger(ConnectionBudget.class);

    public ConnectionBudget(DataSource dataSource, EtlProperties properties) {
        int writers = properties.batchWriters();
        int needed = required(writers);
        if (!(dataSource instanceof HikariDataSource hikari)) {
            log.warn("Not a Hikari pool ({}): make sure it has at least {} connections for etl.batch-writers={}",
                    dataSource.getClass().getName(), needed, writers);
            return;
        }
        int size = hikari.getMaximumPoolSize();
        if (size < needed) {
            throw new InvalidSettingException(POOL_SIZE, size, "must be at least " + needed
                    + " for etl.batch-writers=" + writers + " (each of the " + CSV_SOURCES
                    + " CSV sources holds up to " + (writers + 1) + " batch transactions while they wait for"
                    + " their turn, plus " + RESERVE + " for CoinGecko, Quartz and HTTP); raise it"
                    + " (SPRING_DATASOURCE_HIKARI_MAXIMUMPOOLSIZE) or lower etl.batch-writers");
        }
    }

    static int required(int batchWriters) {
        return CSV_SOURCES * (batchWriters + 1) + RESERVE;
    }
}
