package com.kasparro.etl.config;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.springframework.stereotype.Component;

/**
 * Stops the start when the connection pool is too small for {@code etl.batch-writers}. A file being
 * written holds a connection per writer plus one for the splitting thread (which writes a batch
 * itself when the writers are busy), and both CSV sources may be writing at once; a CoinGecko poll
 * holds two (its batch and the cluster-wide poll lock), and the scheduler, health checks and the
 * API need one or two more. Too small a pool does not fail: writers wait
 * {@code connection-timeout} for a connection, the batch is retried as a database outage, and
 * the files crawl. Better to say so at start.
 */
@Component
public class ConnectionBudget {

    /** CoinGecko's two, plus two for the scheduler, health checks and the API. */
    static final int BESIDES_FILES = 4;

    public ConnectionBudget(EtlProperties properties, DataSource dataSource) throws SQLException {
        if (!dataSource.isWrapperFor(HikariDataSource.class)) {
            return;
        }
        int pool = dataSource.unwrap(HikariDataSource.class).getMaximumPoolSize();
        int writers = properties.batchWriters();
        int needed = needed(writers);
        if (pool < needed) {
            throw new InvalidSettingException("etl.batch-writers [ETL_BATCH_WRITERS]", writers,
                    "needs a database pool of at least " + needed + " connections (2 CSV files x (" + writers
                            + " writers + 1) + " + BESIDES_FILES + "), but spring.datasource.hikari.maximum-pool-size"
                            + " [SPRING_DATASOURCE_HIKARI_MAXIMUMPOOLSIZE] is " + pool
                            + ": raise the pool or lower the writers");
        }
    }

    static int needed(int writers) {
        return 2 * (writers + 1) + BESIDES_FILES;
    }
}
