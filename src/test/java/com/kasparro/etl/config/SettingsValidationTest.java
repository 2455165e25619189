package com.kasparro.etl.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kasparro.etl.KasparroEtlApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "products_csv.fields.value.type=money | etl.sources.products_csv.fields.value.type: unknown type 'money'",
        "products_csv.fields.name.transform=title | etl.sources.products_csv.fields.name.transform: unknown transform 'title'",
        "products_csv.fields.colour.column=c | etl.sources.products_csv.fields.colour: unknown field",
        "orders_csv.kind=spreadsheet; orders_csv.files=orders*.csv; orders_csv.fields.external_id.column=no"
                + " | etl.sources.orders_csv.kind: unknown kind 'spreadsheet'",
        "orders-csv.kind=csv; orders-csv.files=orders*.csv; orders-csv.fields.external_id.column=no"
                + " | etl.sources.orders-csv: bad source name 'orders-csv'",
        "orders_csv.kind=csv; orders_csv.files=orders*.csv; orders_csv.fields.name.column=customer"
                + " | etl.sources.orders_csv.fields.external_id: is required",
        "orders_csv.kind=csv; orders_csv.files=product*.csv; orders_csv.fields.external_id.column=no"
                + " | etl.sources.products_csv.files: 'products*.csv' can match the same file names as etl.sources.orders_csv.files 'product*.csv'",
        "tokens_api.kind=json-api; tokens_api.url=ftp://host/x; tokens_api.fields.external_id.path=id"
                + " | etl.sources.tokens_api.url: 'ftp://host/x' must be an absolute http:// or https:// URL",
        "tokens_api.kind=json-api; tokens_api.url=http://127.0.0.1:9/x; tokens_api.schedule=every minute;"
                + " tokens_api.fields.external_id.path=id | etl.sources.tokens_api.schedule: 'every minute' is not a Quartz cron expression",
    })
    void aBadSourceEntryStopsTheStartNamingItsPropertyPath(String entries, String message, CapturedOutput output) {
        String[] settings = Arrays.stream(entries.split(";")).map(e -> "--etl.sources." + e.trim()).toArray(String[]::new);
        assertThatThrownBy(() -> start(settings)).isInstanceOf(Exception.class);
        assertThat(output.getAll()).contains("APPLICATION FAILED TO START").contains(message);
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
