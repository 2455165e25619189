package com.kasparro.etl.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The packaged jar on its own embedded PostgreSQL (a fixed free port, so the test can query it
 * between processes) and inbox, started again as often as a test needs: every process shares the
 * data directory, the inbox and the settings.
 */
public final class EmbeddedService {

    private final Path work;
    private final String[] args;
    public final Inbox inbox;
    public final String jdbcUrl;

    public EmbeddedService(Path work) throws IOException {
        this(work, new String[0]);
    }

    /**
     * As above, with more settings ({@code --name=value}) for every process. A setting replaces the
     * default of the same name: given twice, Spring would join both values with a comma.
     */
    public EmbeddedService(Path work, String... settings) throws IOException {
        Path inboxDir = Files.createDirectories(work.resolve("inbox"));
        int pgPort = ServiceProcess.freePort();
        this.work = work;
        this.inbox = new Inbox(inboxDir);
        this.jdbcUrl = "jdbc:postgresql://localhost:" + pgPort + "/postgres";
        String[] defaults = {
            "--etl.embedded-db.data-dir=" + work.resolve("data/postgres"),
            "--etl.embedded-db.port=" + pgPort,
            "--etl.inbox.dir=" + inboxDir,
            "--etl.inbox.read-lock-min-age=200ms",
            // A killed process's claim on its file runs out soon, so the next process resumes it.
            "--etl.inbox.claim-lease=5s",
            "--etl.coingecko.enabled=false",
            "--etl.batch-size=500",
        };
        Map<String, String> byName = new LinkedHashMap<>();
        Stream.concat(Arrays.stream(defaults), Arrays.stream(settings))
                .forEach(setting -> byName.put(setting.split("=", 2)[0], setting));
        this.args = byName.values().toArray(String[]::new);
    }

    /** Where a user's own {@code config/application.yml} goes: the service's working directory. */
    public Path workDir() {
        return work;
    }

    /** A new process of the service, started and healthy. */
    public ServiceProcess start() throws IOException {
        return new ServiceProcess(work, ServiceProcess.freePort(), Map.of(), args).start()
                .awaitHealthy(Duration.ofMinutes(3));
    }
}
