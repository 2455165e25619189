package com.kasparro.etl.sources;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.kasparro.etl.support.EmbeddedService;
import com.kasparro.etl.support.ServiceProcess;
import com.kasparro.etl.support.Sql;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user adds two sources with YAML alone, as the README shows: {@code config/application.yml} in
 * the packaged jar's working directory, then a start. A csv source's files and a paged json-api
 * source land with their mapping, rejections, /stats, /runs, /records, /rejections, metrics and
 * OpenAPI; a dry run answers what a file would do and writes nothing.
 */
class ConfiguredSourceIT {

    static final String KEY = "tok-secret-4c1f";

    @TempDir
    Path work;

    final ObjectMapper json = new ObjectMapper();
    final HttpClient http = HttpClient.newHttpClient();
    final WireMockServer api = new WireMockServer(options().dynamicPort());

    @AfterEach
    void stopApi() throws Exception {
        api.stop();
        // The service's log outlives the temporary folder, for a failure's diagnosis.
        try (var logs = Files.newDirectoryStream(work, "service-*.log")) {
            for (Path log : logs) {
                Files.copy(log, Files.createDirectories(Path.of("target", "it-logs")).resolve("ConfiguredSourceIT-"
                        + log.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    @Test
    void aSourceAddedByConfigurationLandsLikeABuiltInOne() throws Exception {
        api.start();
        api.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo("/v1/tokens")).withQueryParam("page", equalTo("1"))
                .withHeader("x-api-key", equalTo(KEY))
                .willReturn(json("{\"data\":[{\"id\":\"t1\",\"name\":\"One\",\"market\":{\"price\":1.5}},"
                        + "{\"id\":\"t2\",\"name\":\"Two\",\"market\":{\"price\":2}},{\"name\":\"no id\"}]}")));
        api.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(urlPathEqualTo("/v1/tokens")).withQueryParam("page", equalTo("2"))
                .withHeader("x-api-key", equalTo(KEY))
                .willReturn(json("{\"data\":[{\"id\":\"t3\",\"name\":\"Three\",\"market\":{\"price\":null}}]}")));
        EmbeddedService service = new EmbeddedService(work);
        Files.createDirectories(service.workDir().resolve("config"));
        Files.writeString(service.workDir().resolve("config/application.yml"), """
                etl:
                  sources:
                    orders_csv:
                      kind: csv
                      files: "orders*.csv"
                      fields:
                        external_id:     { column: order_no }
                        name:            { column: customer }
                        category:        { column: status, transform: lower }
                        value:           { column: total, type: decimal, min-exclusive: 0 }
                        currency:        { column: cur, required: false, transform: upper }
                        event_timestamp: { column: placed_at, type: timestamp, required: false }
                    tokens_api:
                      kind: json-api
                      url: "http://127.0.0.1:%d/v1/tokens?chain=eth"
                      schedule: "0 0 0 1 1 ? 2099"
                      items: "/data"
                      headers: { x-api-key: "%s" }
                      paging: { param: page, size: 3, max-pages: 5 }
                      fields:
                        external_id: { path: id }
                        name:        { path: name, required: false }
                        value:       { path: /market/price, type: decimal, required: false }
                """.formatted(api.port(), KEY));

        try (ServiceProcess process = service.start()) {
            String base = process.baseUrl();
            // The json-api source's start-up poll: two pages, the second short, so no third request.
            await().atMost(Duration.ofSeconds(60)).until(() -> runStatus(base, "tokens_api").equals("success"));
            api.verify(2, getRequestedFor(urlPathEqualTo("/v1/tokens")));
            api.verify(getRequestedFor(urlPathEqualTo("/v1/tokens")).withQueryParam("chain", equalTo("eth")));

            service.inbox.drop("orders-2026-12.csv", """
                    order_no,customer,status,total,cur,placed_at,channel
                    o1,Ann,SHIPPED,10.50,eur,2026-12-01T10:00:00Z,web
                    o2,Bob,open,7,,2026-12-02,shop
                    o3,Cy,Open,-1,usd,,web
                    ,Dee,open,3,usd,,web
                    o4,Eve,open,4,usd,yesterday,web
                    """);
            service.inbox.drop("invoices.csv", "a,b\n1,2\n");
            await().atMost(Duration.ofSeconds(60)).until(() -> service.inbox.done().size() == 1
                    && service.inbox.error().size() == 1);

            JsonNode stats = get(base, "/stats");
            assertThat(stats.at("/records_by_source/orders_csv").asLong()).isEqualTo(2);
            assertThat(stats.at("/records_by_source/tokens_api").asLong()).isEqualTo(3);
            assertThat(stats.at("/records_by_source/products_csv").asLong()).isZero();

            JsonNode o1 = get(base, "/records/orders_csv/o1");
            assertThat(o1.get("name").asText()).isEqualTo("Ann");
            assertThat(o1.get("category").asText()).isEqualTo("shipped");
            assertThat(o1.get("value").decimalValue()).isEqualByComparingTo("10.50");
            assertThat(o1.get("currency").asText()).isEqualTo("EUR");
            assertThat(o1.get("event_timestamp").asText()).startsWith("2026-12-01T10:00");
            assertThat(o1.at("/attributes/channel").asText()).isEqualTo("web");
            assertThat(get(base, "/records/tokens_api/t1").get("value").decimalValue()).isEqualByComparingTo("1.5");
            assertThat(get(base, "/records/tokens_api/t3").get("value").isNull()).isTrue();

            List<String> reasons = reasons(get(base, "/rejections?source=orders_csv"));
            assertThat(reasons).containsExactlyInAnyOrder("total must be greater than 0: '-1'",
                    "order_no is missing or empty", "placed_at is not an ISO-8601 timestamp: 'yesterday'");
            assertThat(reasons(get(base, "/rejections?source=tokens_api"))).containsExactly("id is missing");
            assertThat(get(base, "/runs?source=orders_csv").at("/items/0/status").asText()).isEqualTo("success");
            JsonNode refused = get(base, "/runs?source=inbox").at("/items/0");
            assertThat(refused.get("error_message").asText()).contains("orders*.csv").contains("products*.csv");

            String metrics = text(base, "/actuator/prometheus");
            assertThat(metrics).contains("source=\"orders_csv\"").contains("source=\"tokens_api\"");
            String openapi = text(base, "/openapi.json");
            assertThat(openapi).contains("orders_csv").contains("tokens_api");

            JsonNode sources = get(base, "/sources");
            assertThat(sources.findValuesAsText("name")).contains("orders_csv", "tokens_api", "products_csv");
            assertThat(sources.toString()).contains("x-api-key").doesNotContain(KEY);
            assertThat(Files.readString(process.log())).doesNotContain(KEY);

            try (Connection db = DriverManager.getConnection(service.jdbcUrl, "postgres", "")) {
                String tables = "SELECT (SELECT count(*) FROM unified_records) * 1000000"
                        + " + (SELECT count(*) FROM rejected_rows) * 10000 + (SELECT count(*) FROM etl_runs) * 100"
                        + " + (SELECT count(*) FROM raw_csv_data)";
                long before = Sql.count(db, tables);
                HttpResponse<String> dry = http.send(HttpRequest.newBuilder(URI.create(base + "/sources/orders_csv/dry-run"))
                        .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofString(
                                "ORDER_NO,customer,status,total\nz1,Zed,New,5\nz2,Zoe,new,abc\n")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(dry.statusCode()).as(dry.body()).isEqualTo(200);
                JsonNode result = json.readTree(dry.body());
                assertThat(result.get("rows").asInt()).isEqualTo(2);
                assertThat(result.get("valid").asInt()).isEqualTo(1);
                assertThat(result.get("rejected").asInt()).isEqualTo(1);
                assertThat(result.at("/records/0/external_id").asText()).isEqualTo("z1");
                assertThat(result.at("/records/0/category").asText()).isEqualTo("new");
                assertThat(result.at("/rejections/0/line").asInt()).isEqualTo(3);
                assertThat(result.at("/rejections/0/raw").asText()).isEqualTo("z2,Zoe,new,abc");
                assertThat(result.at("/rejections/0/reason").asText()).isEqualTo("total is not a decimal number: 'abc'");
                HttpResponse<String> refusedFile = http.send(HttpRequest.newBuilder(
                        URI.create(base + "/sources/orders_csv/dry-run")).header("Content-Type", "text/csv")
                        .POST(HttpRequest.BodyPublishers.ofString("id,name\n1,x\n")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(json.readTree(refusedFile.body()).get("refused").asText())
                        .startsWith("required column(s) missing: order_no, customer, status, total");
                assertThat(Sql.count(db, tables)).as("a dry run writes nothing").isEqualTo(before);
            }
        }
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }

    private String runStatus(String base, String source) throws Exception {
        JsonNode runs = get(base, "/runs?source=" + source);
        return runs.at("/items/0/status").asText("");
    }

    private static List<String> reasons(JsonNode page) {
        return page.get("items").findValuesAsText("reason");
    }

    private JsonNode get(String base, String path) throws Exception {
        return json.readTree(text(base, path));
    }

    private String text(String base, String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return response.body();
    }
}
