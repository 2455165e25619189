package com.kasparro.etl.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kasparro.etl.KasparroEtlApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** A bad setting stops the start with Boot's failure report, which names the setting. */
@ExtendWith(OutputCaptureExtension.class)
class SettingsValidationTest {

    @TempDir
    Path work;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "etl.coingecko.base-url=ftp://example.com/api | etl.coingecko.base-url | must be an absolute http:// or https:// URL",
        "etl.retry.initial-delay=-1s                  | etl.retry.initial-delay | must be greater than or equal to 0",
        "etl.retry.multiplier=0.5                     | etl.retry.multiplier    | must be greater than or equal to 1.0",
        "etl.batch-size=0                             | etl.batch-size          | must be greater than or equal to 1",
        "etl.coingecko.timeout=0s                     | etl.coingecko.timeout   | must be greater than or equal to",
        "etl.coingecko.schedule=every five minutes    | etl.coingecko.schedule  | not a valid Quartz cron expression",
    })
    void aBadValueNamesTheSetting(String setting, String property, String reason, CapturedOutput output) {
        assertThatThrownBy(() -> start("--" + setting)).isInstanceOf(Exception.class);
        assertThat(output.getAll()).contains("APPLICATION FAILED TO START").contains(property).contains(reason);
    }

    @Test
    void anInboxThatIsNotAFolderNamesTheSetting(CapturedOutput output) throws Exception {
        Path notAFolder = Files.writeString(work.resolve("inbox-file"), "I am a file");
        assertThatThrownBy(() -> start("--etl.inbox.dir=" + notAFolder)).isInstanceOf(Exception.class);
        assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
                .contains("Invalid setting etl.inbox.dir=" + notAFolder);
    }

    private void start(String... extra) {
        String[] base = {
            "--server.port=0",
            "--etl.embedded-db.port=0",
            "--etl.embedded-db.data-dir=" + work.resolve("pg"),
            "--etl.inbox.dir=" + work.resolve("inbox"),
            "--etl.coingecko.enabled=false",
        };
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        new SpringApplicationBuilder(KasparroEtlApplication.class).run(args).close();
    }
}
