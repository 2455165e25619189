package com.kasparro.etl.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kasparro.etl.KasparroEtlApplication;
import com.kasparro.etl.support.EtlIntegrationTest;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;

/** One embedded data directory, one owner: a second instance on it stops at once and touches nothing. */
@EtlIntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class DataDirectoryOwnerTest {

    @Autowired
    EtlProperties properties;
    @Autowired
    JdbcTemplate jdbcTemplate;
    @Autowired
    EmbeddedPostgres postgres;
    @Autowired
    HikariDataSource dataSource;

    @TempDir
    Path work;

    private Path dataDir() {
        return Path.of(properties.embeddedDb().dataDir()).toAbsolutePath().normalize();
    }

    @Test
    void theOwnerFileNamesThisProcessAndItsDatabasePort() throws Exception {
        String owner = Files.readString(DataDirectoryOwner.ownerFile(dataDir()));
        assertThat(owner).contains("pid=" + ProcessHandle.current().pid())
                .contains("database-port=" + postgres.getPort());
    }

    @Test
    void aSecondInstanceOnTheSameDataDirectoryStopsNamingTheOwnerAndTouchesNothing(CapturedOutput output)
            throws Exception {
        String postmaster = Files.readAllLines(dataDir().resolve("postmaster.pid")).get(0);

        assertThatThrownBy(() -> new SpringApplicationBuilder(KasparroEtlApplication.class).run(
                "--server.port=0", "--etl.embedded-db.data-dir=" + dataDir(), "--etl.embedded-db.port=0",
                "--etl.inbox.dir=" + work.resolve("inbox"), "--etl.coingecko.enabled=false").close())
                .isInstanceOf(Exception.class);

        assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
                .contains("Invalid setting etl.embedded-db.data-dir=" + dataDir()
                        + ": is in use by a running instance (pid=" + ProcessHandle.current().pid());
        // The owner's server is the same process, and its database still answers.
        assertThat(Files.readAllLines(dataDir().resolve("postmaster.pid")).get(0)).isEqualTo(postmaster);
        assertThat(jdbcTemplate.queryForObject("SELECT 1", Integer.class)).isEqualTo(1);
    }

    @Test
    void everyConnectionChecksThatTheServerServesThisDataDirectory() throws Exception {
        assertThat(dataSource.getConnectionInitSql()).contains("current_setting('data_directory')");
        String served = jdbcTemplate.queryForObject("SHOW data_directory", String.class);
        String check = EmbeddedPostgresConfiguration.identityCheck(served, dataDir());
        jdbcTemplate.execute(check);
        // The same check against a server of another directory fails the connection.
        assertThatThrownBy(() -> jdbcTemplate.execute(check.replace("'" + served + "'", "'/elsewhere'")))
                .hasMessageContaining("this PostgreSQL serves " + served + ", not the embedded data directory /elsewhere");
        // A server that serves another directory is refused.
        assertThatThrownBy(() -> EmbeddedPostgresConfiguration.identityCheck(served, work))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not " + work);
    }
}
