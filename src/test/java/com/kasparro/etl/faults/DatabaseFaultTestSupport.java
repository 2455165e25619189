package com.kasparro.etl.faults;

import com.kasparro.etl.config.EtlProperties;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.AfterAll;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** What the tests that take the service's PostgreSQL away share: the server, and starting it again. */
abstract class DatabaseFaultTestSupport {

    /** The server started again on the same data directory and port; the test class closes it. */
    private static final AtomicReference<EmbeddedPostgres> restarted = new AtomicReference<>();

    @Autowired
    EtlProperties properties;
    @Autowired
    JdbcTemplate jdbcTemplate;
    @Autowired
    EmbeddedPostgres postgres;
    @Autowired
    CamelContext camel;

    @AfterAll
    static void closeRestartedServer() throws IOException {
        EmbeddedPostgres server = restarted.getAndSet(null);
        if (server != null) {
            server.close();
        }
    }

    Path dataDir() {
        return Path.of(properties.embeddedDb().dataDir()).toAbsolutePath().normalize();
    }

    /** Starts PostgreSQL again on the service's data and port, as the service starts it. */
    void restartPostgres(Path dataDir, int port) {
        try {
            // zonky's own defaults turn both off for throw-away databases; the service turns them on.
            restarted.set(EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false)
                    .setServerConfig("synchronous_commit", "on").setServerConfig("fsync", "on")
                    .setRegisterShutdownHook(false).setPort(port).start());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
