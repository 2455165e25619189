package com.kasparro.etl.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import javax.sql.DataSource;
import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.springframework.core.io.ClassPathResource;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The JDBC idempotent repository of completed inbox files, one per CSV source, on the same
 * PostgreSQL. Their table is a Flyway migration; the insert ({@code sql/completed-file-add.sql}) is
 * {@code ON CONFLICT DO NOTHING} so that a key added twice (two replicas, a retry) can never abort
 * the surrounding transaction, and it keeps no key for a file loaded while another run changed records.
 */
public final class CompletedFiles {

    static final String INSERT = load("sql/completed-file-add.sql");

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

    private static String load(String path) {
        try {
            return new ClassPathResource(path).getContentAsString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Missing SQL file " + path, e);
        }
    }
}
