package com.kasparro.etl.config;

import javax.sql.DataSource;
import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The JDBC idempotent repository of completed inbox files, one per CSV source, on the same
 * PostgreSQL. Their table is a Flyway migration; the insert is {@code ON CONFLICT DO NOTHING}
 * so that a key added twice (two replicas, a retry) can never abort the surrounding transaction.
 */
public final class CompletedFiles {

    static final String INSERT = "INSERT INTO camel_messageprocessed (processorName, messageId, createdAt) "
            + "VALUES (?, ?, ?) ON CONFLICT DO NOTHING";

    private CompletedFiles() {
    }

    /** The completed-file keys of {@code source} (its processorName in camel_messageprocessed). */
    public static JdbcMessageIdRepository of(DataSource dataSource, PlatformTransactionManager tx, String source) {
        JdbcMessageIdRepository repository =
                new JdbcMessageIdRepository(dataSource, new TransactionTemplate(tx), source);
        repository.setCreateTableIfNotExists(false);
        repository.setInsertString(INSERT);
        return repository;
    }
}
