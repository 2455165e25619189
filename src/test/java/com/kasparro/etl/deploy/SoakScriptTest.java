package com.kasparro.etl.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * scripts/chaos/soak.sh without running a soak (ChaosSoakIT runs one): valid, shellcheck-clean bash
 * that refuses a bad duration before it starts anything.
 */
class SoakScriptTest {

    static final Path SCRIPT = SmokeScriptTest.ROOT.resolve("scripts/chaos/soak.sh");

    @Test
    void scriptIsValidBashAndExecutable() throws Exception {
        assertThat(Files.isExecutable(SCRIPT)).as("scripts/chaos/soak.sh is executable").isTrue();
        SmokeScriptTest.Result r = SmokeScriptTest.run(List.of("bash", "-n", SCRIPT.toString()), Map.of(),
                Duration.ofSeconds(30));
        assertThat(r.exit()).as("bash -n: %s", r.stderr()).isZero();
        assertThat(Files.readString(SCRIPT)).startsWith("#!/usr/bin/env bash").contains("set -euo pipefail");
    }

    @Test
    void shellcheckIsClean() throws Exception {
        assumeTrue(SmokeScriptTest.onPath("shellcheck"), "shellcheck not installed");
        SmokeScriptTest.Result r = SmokeScriptTest.run(List.of("shellcheck", SCRIPT.toString()), Map.of(),
                Duration.ofSeconds(60));
        assertThat(r.exit()).as("shellcheck: %s%s", r.stdout(), r.stderr()).isZero();
    }

    @Test
    void aBadDurationOrSeedStopsAtOnce() throws Exception {
        for (List<String> call : List.of(List.of("bash", SCRIPT.toString(), "soon"), List.of("bash", SCRIPT.toString(), "0"))) {
            SmokeScriptTest.Result r = SmokeScriptTest.run(call, Map.of(), Duration.ofSeconds(30));
            assertThat(r.exit()).isEqualTo(2);
            assertThat(r.stderr()).contains("usage");
            assertThat(r.stdout()).isEmpty();
        }
        SmokeScriptTest.Result r = SmokeScriptTest.run(List.of("bash", SCRIPT.toString(), "1"),
                Map.of("SOAK_SEED", "x"), Duration.ofSeconds(30));
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.stderr()).contains("SOAK_SEED");
    }
}
