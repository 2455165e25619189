package com.kasparro.etl.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.kasparro.etl.support.BuiltInSources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A source entry is checked whole at start; a bad one names its property path and what is wrong. */
class SourceRegistryTest {

    static final String ORDERS = """
            etl:
              sources:
                orders_csv:
                  kind: csv
                  files: "orders*.csv"
                  fields:
                    external_id: { column: order_no }
                    value:       { column: total, type: decimal, min-exclusive: 0 }
            """;

    @Test
    void theBuiltInSourcesAreEntriesOfThePackagedConfiguration() {
        SourceRegistry registry = BuiltInSources.registry();
        assertThat(registry.names()).containsExactly("coingecko_api", "products_csv", "vendors_csv");
        assertThat(registry.get("products_csv").requiredColumns()).containsExactly("product_id", "name", "category", "price");
        assertThat(registry.get("vendors_csv").filePattern()).isEqualTo("vendors*.csv");
        assertThat(registry.get("coingecko_api").api().url().toString()).isEqualTo("https://api.coingecko.com/api/v3/coins/list");
        assertThat(registry.runSources()).endsWith("inbox");
    }

    @Test
    void aValidEntryBecomesASourceWithItsFieldsInUnifiedOrder() {
        SourceSpec orders = SourceRegistry.of(BuiltInSources.definitionsFromYaml(ORDERS)).get("orders_csv");
        assertThat(orders.fields()).extracting(FieldSpec::target).containsExactly(UnifiedField.EXTERNAL_ID, UnifiedField.VALUE);
        assertThat(orders.field(UnifiedField.VALUE).orElseThrow().type()).isEqualTo(FieldSpec.Type.DECIMAL);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "kind: spreadsheet                     | etl.sources.orders_csv.kind: unknown kind 'spreadsheet' (expected csv or json-api)",
        "fields.colour: { column: c }          | etl.sources.orders_csv.fields.colour: unknown field (expected one of external_id, name, category, value, currency, event_timestamp)",
        "fields.value.type: money              | etl.sources.orders_csv.fields.value.type: unknown type 'money' (expected text, decimal or timestamp)",
        "fields.value.transform: title         | etl.sources.orders_csv.fields.value.transform: unknown transform 'title' (expected lower or upper)",
        "fields.external_id.column: ''         | etl.sources.orders_csv.fields.external_id.column: is required",
        "files: orders*.txt                    | etl.sources.orders_csv.files: 'orders*.txt' must be a file name glob ending in .csv",
        "url: http://x/y                       | etl.sources.orders_csv.url: is for json-api sources, not csv",
    })
    void aBadEntryNamesItsPropertyPath(String change, String message) {
        String yaml = apply(ORDERS, change);
        assertThatThrownBy(() -> SourceRegistry.of(BuiltInSources.definitionsFromYaml(yaml)))
                .isInstanceOf(InvalidSourceException.class).hasMessageStartingWith(message);
    }

    @Test
    void aMissingExternalIdAndABadNameAreRefused() {
        assertThatThrownBy(() -> SourceRegistry.of(BuiltInSources.definitionsFromYaml(
                ORDERS.replace("external_id: { column: order_no }", "name: { column: n }"))))
                .hasMessageStartingWith("etl.sources.orders_csv.fields.external_id: is required");
        assertThatThrownBy(() -> SourceRegistry.of(BuiltInSources.definitionsFromYaml(ORDERS.replace("orders_csv:", "Orders-CSV:"))))
                .hasMessageStartingWith("etl.sources.Orders-CSV: bad source name 'Orders-CSV'");
    }

    @Test
    void twoCsvSourcesWhosePatternsCanMatchOneNameAreRefused() {
        String yaml = ORDERS + """
                    everything_csv:
                      kind: csv
                      files: "*s-2026*.CSV"
                      fields:
                        external_id: { column: id }
                """;
        assertThatThrownBy(() -> SourceRegistry.of(BuiltInSources.definitionsFromYaml(yaml)))
                .hasMessage("etl.sources.everything_csv.files: '*s-2026*.CSV' can match the same file names as "
                        + "etl.sources.orders_csv.files 'orders*.csv'");
        assertThat(Globs.overlap("products*.csv", "vendors*.csv")).isFalse();
        assertThat(Globs.overlap("orders-??.csv", "orders-eu*.csv")).isTrue();
        assertThat(Globs.overlap("a*b.csv", "*c.csv")).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "url: ftp://host/x           | etl.sources.tokens_api.url: 'ftp://host/x' must be an absolute http:// or https:// URL",
        "schedule: every minute      | etl.sources.tokens_api.schedule: 'every minute' is not a Quartz cron expression",
        "items: data                 | etl.sources.tokens_api.items: 'data' is not a JSON pointer",
        "paging: { param: page }     | etl.sources.tokens_api.paging.size: must be at least 1",
    })
    void aBadJsonApiEntryNamesItsPropertyPath(String change, String message) {
        String yaml = apply("""
                etl:
                  sources:
                    tokens_api:
                      kind: json-api
                      url: "http://127.0.0.1:9999/api/v3/coins/list"
                      schedule: "0 0/5 * * * ?"
                      fields:
                        external_id: { path: id }
                """, change);
        assertThatThrownBy(() -> SourceRegistry.of(BuiltInSources.definitionsFromYaml(yaml)))
                .isInstanceOf(InvalidSourceException.class).hasMessageStartingWith(message);
    }

    /** Sets {@code key: value} (a dotted key for a field's property) in the first source of the YAML. */
    private static String apply(String yaml, String change) {
        String[] kv = change.split(":", 2);
        String key = kv[0].trim();
        String value = kv[1].trim();
        if (key.startsWith("fields.")) {
            String[] path = key.split("\\.");
            if (path.length == 2) {
                return yaml.replace("      fields:\n", "      fields:\n        " + path[1] + ": " + value + "\n");
            }
            StringBuilder out = new StringBuilder();
            for (String line : yaml.split("\n", -1)) {
                if (line.startsWith("        " + path[1] + ":")) {
                    line = line.contains(" " + path[2] + ":")
                            ? line.replaceFirst(" " + path[2] + ": [^,}]+", " " + path[2] + ": " + value)
                            : line.replaceFirst("\\{", "{ " + path[2] + ": " + value + ",");
                }
                out.append(line).append('\n');
            }
            return out.substring(0, out.length() - 1);
        }
        if (yaml.contains("      " + key + ":")) {
            return yaml.replaceFirst("      " + key + ":[^\n]*", "      " + key + ": " + value);
        }
        return yaml.replace("      fields:\n", "      " + key + ": " + value + "\n      fields:\n");
    }
}
