package com.kasparro.etl.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The check behind the browser tests' {@code @EnabledIf}: a machine without Chromium hears how to install it. */
class BrowserInstalledTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream console = new PrintStream(printed, true, StandardCharsets.UTF_8);

    @Test
    void aMissingChromiumIsOneLineOnTheConsoleSayingHowToInstallIt() throws IOException {
        Path chromedriver = executable("chromedriver");

        assertThat(Browser.installed(dir.resolve("chromium"), chromedriver, console)).isFalse();

        assertThat(printed.toString(StandardCharsets.UTF_8).lines()).containsExactly(Browser.NOT_INSTALLED);
        assertThat(Browser.NOT_INSTALLED).contains("apt-get install -y chromium chromium-driver");
    }

    @Test
    void aMissingChromedriverIsTheSameLine() throws IOException {
        Path chromium = executable("chromium");

        assertThat(Browser.installed(chromium, dir.resolve("chromedriver"), console)).isFalse();

        assertThat(printed.toString(StandardCharsets.UTF_8).lines()).containsExactly(Browser.NOT_INSTALLED);
    }

    @Test
    void withBothInstalledNothingIsPrinted() throws IOException {
        assertThat(Browser.installed(executable("chromium"), executable("chromedriver"), console)).isTrue();

        assertThat(printed.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    private Path executable(String name) throws IOException {
        return Files.createFile(dir.resolve(name), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    }
}
