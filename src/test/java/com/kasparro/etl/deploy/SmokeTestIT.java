package com.kasparro.etl.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.kasparro.etl.support.ServiceProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** scripts/smoke_test.sh against the packaged jar on its embedded default database. */
class SmokeTestIT {

    @TempDir
    Path work;

    @Test
    void theSmokeTestPassesAgainstThePackagedService() throws Exception {
        Path inbox = Files.createDirectories(work.resolve("inbox"));
        try (ServiceProcess service = new ServiceProcess(work, ServiceProcess.freePort(), Map.of(),
                "--etl.embedded-db.data-dir=" + work.resolve("data/postgres"),
                "--etl.embedded-db.port=" + ServiceProcess.freePort(),
                "--etl.inbox.dir=" + inbox,
                "--etl.coingecko.enabled=false").start().awaitHealthy(Duration.ofMinutes(3))) {
            for (int run = 1; run <= 2; run++) { // twice: it must pass on an instance that has seen it before
                Process smoke = new ProcessBuilder("bash", "scripts/smoke_test.sh", service.baseUrl(), inbox.toString())
                        .redirectErrorStream(true).start();
                assertThat(smoke.waitFor(180, TimeUnit.SECONDS)).isTrue();
                String output = new String(smoke.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(smoke.exitValue()).as(output).isZero();
                assertThat(output).contains("SMOKE TEST PASSED");
            }
        }
    }
}
