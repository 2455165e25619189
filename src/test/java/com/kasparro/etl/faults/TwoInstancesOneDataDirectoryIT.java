package com.kasparro.etl.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.kasparro.etl.support.EmbeddedService;
import com.kasparro.etl.support.ServiceProcess;
import com.kasparro.etl.support.Sql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two processes of the packaged jar on one embedded data directory: the second stops at once with
 * one line naming the owner (its pid and ports), and the first's database is untouched.
 */
class TwoInstancesOneDataDirectoryIT {

    @TempDir
    Path work;

    @Test
    void theSecondInstanceStopsNamingTheOwnerAndTheFirstGoesOn() throws Exception {
        EmbeddedService service = new EmbeddedService(work);
        try (ServiceProcess first = service.start()) {
            String postmaster = Files.readAllLines(work.resolve("data/postgres/postmaster.pid")).get(0);
            String owner = Files.readString(work.resolve("data/postgres.owner"));

            // Same data directory, its own HTTP port and a free database port (the default).
            ServiceProcess second = new ServiceProcess(work, ServiceProcess.freePort(), Map.of(),
                    "--etl.embedded-db.data-dir=" + work.resolve("data/postgres"),
                    "--etl.inbox.dir=" + work.resolve("inbox-2"), "--etl.coingecko.enabled=false").start();
            Duration exit = second.awaitExit(Duration.ofMinutes(2));

            String log = Files.readString(second.log());
            assertThat(exit).isLessThan(Duration.ofSeconds(60));
            assertThat(log).contains("APPLICATION FAILED TO START")
                    .contains("Invalid setting etl.embedded-db.data-dir=" + work.resolve("data/postgres")
                            + ": is in use by a running instance (" + owner.trim().replace('\n', ' ') + ")");
            assertThat(log).doesNotContain("Stopping orphaned embedded PostgreSQL");
            // The owner's server is the same process and still answers; its owner file is unchanged.
            assertThat(Files.readAllLines(work.resolve("data/postgres/postmaster.pid")).get(0)).isEqualTo(postmaster);
            assertThat(Files.readString(work.resolve("data/postgres.owner"))).isEqualTo(owner);
            try (Connection db = DriverManager.getConnection(service.jdbcUrl, "postgres", "")) {
                assertThat(Sql.count(db, "SELECT count(*) FROM etl_runs")).isZero();
            }
            first.awaitHealthy(Duration.ofSeconds(30));
        }
    }
}
