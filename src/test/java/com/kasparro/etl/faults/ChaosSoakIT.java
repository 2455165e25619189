package com.kasparro.etl.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.kasparro.etl.support.ServiceProcess;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/chaos/soak.sh for 3 minutes with a fixed seed: two replicas of the packaged jar on one
 * PostgreSQL and one inbox, files dropped without pause, replicas killed with kill -9 and PostgreSQL
 * restarted (fast and immediate) at random moments, a fake CoinGecko that hangs and answers 429 and
 * 500. Nothing may be lost or duplicated, and both kinds of fault must have happened.
 */
class ChaosSoakIT {

    static final Path ROOT = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
    static final Pattern SUMMARY = Pattern.compile(
            "soak: (\\d+) files, (\\d+) rows, (\\d+) kills, (\\d+) database restarts, (\\d+) lost, (\\d+) duplicated");

    @TempDir
    Path work;

    @Test
    void threeMinutesOfFaultsLoseAndDuplicateNothing() throws Exception {
        Path out = work.resolve("soak.out");
        Path err = work.resolve("soak.err");
        ProcessBuilder soak = new ProcessBuilder("bash", ROOT.resolve("scripts/chaos/soak.sh").toString(), "3")
                .directory(ROOT.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        soak.environment().put("SOAK_SEED", "22");
        soak.environment().put("SOAK_TMP", work.toString());
        soak.environment().put("SOAK_JAR", ServiceProcess.JAR.toString());
        Process process = soak.start();
        if (!process.waitFor(30, TimeUnit.MINUTES)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
            throw new AssertionError("the soak did not end within 30 minutes:\n" + tail(err));
        }
        List<String> lines = Files.readAllLines(out);
        System.out.println(String.join("\n", lines)); // into the failsafe report's output file
        assertThat(lines).as("stdout is the summary line alone; stderr:\n%s", tail(err)).hasSize(1);
        Matcher summary = SUMMARY.matcher(lines.get(0));
        assertThat(summary.matches()).as(lines.get(0)).isTrue();
        assertThat(Long.parseLong(summary.group(1))).as("files").isPositive();
        assertThat(Long.parseLong(summary.group(3))).as("kills").isPositive();
        assertThat(Long.parseLong(summary.group(4))).as("database restarts").isPositive();
        assertThat(Long.parseLong(summary.group(5))).as("lost; stderr:\n%s", tail(err)).isZero();
        assertThat(Long.parseLong(summary.group(6))).as("duplicated; stderr:\n%s", tail(err)).isZero();
        assertThat(process.exitValue()).as("exit status; stderr:\n%s", tail(err)).isZero();
    }

    static String tail(Path file) throws java.io.IOException {
        List<String> lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }
}
