package com.kasparro.etl.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kasparro.etl.KasparroEtlApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
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
        "etl.coingecko.base-url=ftp://example.com/api | etl.coingecko.base-url [ETL_COINGECKO_BASE_URL] | must be an absolute http:// or https:// URL",
        "etl.retry.initial-delay=-1s                  | etl.retry.initial-delay [ETL_RETRY_INITIAL_DELAY] | must be longer than or equal to 0",
        "etl.retry.multiplier=0.5                     | etl.retry.multiplier [ETL_RETRY_MULTIPLIER] | must be greater than or equal to 1.0",
        "etl.batch-size=0                             | etl.batch-size [ETL_BATCH_SIZE] | must be greater than or equal to 1",
        "etl.coingecko.timeout=0s                     | etl.coingecko.timeout [ETL_COINGECKO_TIMEOUT] | must be longer than or equal to 1 milli",
        "etl.coingecko.schedule=every five minutes    | etl.coingecko.schedule  | not a valid Quartz cron expression",
        "etl.progress-log-interval=0s                 | etl.progress-log-interval [ETL_PROGRESS_LOG_INTERVAL] | must be longer than or equal to 1 milli",
        "etl.coingecko.calls-per-minute=0             | etl.coingecko.calls-per-minute [ETL_COINGECKO_CALLS_PER_MINUTE] | must be greater than or equal to 1",
        "etl.coingecko.calls-per-month=-1             | etl.coingecko.calls-per-month [ETL_COINGECKO_CALLS_PER_MONTH] | must be greater than or equal to 0",
        "etl.coingecko.markets.vs-currency=US$        | etl.coingecko.markets.vs-currency [ETL_COINGECKO_MARKETS_VS_CURRENCY] | must be a CoinGecko vs-currency such as usd",
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
        // One value per setting: a repeated --name=value would bind as "a,b".
        Map<String, String> args = new LinkedHashMap<>();
        args.put("server.port", "0");
        args.put("etl.embedded-db.port", "0");
        args.put("etl.embedded-db.data-dir", work.resolve("pg").toString());
        args.put("etl.inbox.dir", work.resolve("inbox").toString());
        args.put("etl.coingecko.enabled", "false");
        for (String arg : extra) {
            String[] kv = arg.substring(2).split("=", 2);
            args.put(kv[0], kv[1]);
        }
        new SpringApplicationBuilder(KasparroEtlApplication.class)
                .run(args.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new))
                .close();
    }
}
