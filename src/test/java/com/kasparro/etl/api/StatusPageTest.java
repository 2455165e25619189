package com.kasparro.etl.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.kasparro.etl.support.EtlIntegrationTest;
import com.kasparro.etl.support.Samples;
import com.kasparro.etl.support.ServiceTestSupport;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the status page stands on, without a browser: the page and its assets at {@code /}, the
 * security headers, and {@code GET /stats/timeline}. Same configuration as OperabilityApiTest, so
 * both share one context. The page itself, in Chromium: StatusPageBrowserTest.
 */
@EtlIntegrationTest
class StatusPageTest extends ServiceTestSupport {

    private static final Pattern INLINE_HANDLER = Pattern.compile("\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE);
    private static final Pattern INLINE_SCRIPT = Pattern.compile("<script(?![^>]*\\ssrc=)[^>]*>", Pattern.CASE_INSENSITIVE);

    ApiClient api;

    @BeforeEach
    void setUp() {
        api = new ApiClient(port, json);
    }

    @Test
    void theRootServesThePageWithAStrictContentSecurityPolicyAndNoInlineScript() throws Exception {
        HttpResponse<String> root = api.get("/");
        assertThat(root.statusCode()).isEqualTo(200);
        assertThat(root.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        assertThat(root.body()).contains("<title>Kasparro ETL status</title>");
        assertThat(api.get("/index.html").body()).isEqualTo(root.body());

        String csp = root.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(csp).contains("default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'",
                "frame-ancestors 'none'").doesNotContain("unsafe-inline", "unsafe-eval", "http:", "https:", "*");
        assertThat(root.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(INLINE_SCRIPT.matcher(root.body()).find()).as("inline <script>").isFalse();
        assertThat(INLINE_HANDLER.matcher(root.body()).find()).as("inline on...= handler").isFalse();
        assertThat(root.body()).doesNotContain("style=", "//cdn", "http://", "https://");

        for (String asset : new String[] {"/status/page.js", "/status/page.css", "/favicon.svg",
                "/webjars/uplot/dist/uPlot.iife.min.js", "/webjars/uplot/dist/uPlot.min.css"}) {
            assertThat(root.body()).contains(asset);
            assertThat(api.get(asset).statusCode()).as(asset).isEqualTo(200);
        }
        String script = api.get("/status/page.js").body();
        assertThat(script).doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write",
                "eval(", "new Function", "console.");
    }

    @Test
    void theApiAndActuatorStillAnswerBesideThePage() throws Exception {
        assertThat(api.ok("/stats").get("records_by_source").has("products_csv")).isTrue();
        assertThat(api.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        assertThat(api.get("/stats").headers().firstValue("Content-Security-Policy")).isPresent();
        api.problem("/runs/0", 400);
    }

    @Test
    void theTimelineCountsRunsAndRecordsLoadedPerSourceAndBucket() throws Exception {
        inbox.drop("products.csv", Samples.PRODUCTS);
        inbox.drop("vendors.csv", Samples.VENDORS);
        await().atMost(Duration.ofSeconds(30)).until(
                () -> db.count("SELECT count(*) FROM etl_runs WHERE status = 'success'") == 2);
        inbox.drop("products-again.csv", Samples.PRODUCTS);
        await().atMost(Duration.ofSeconds(30)).until(
                () -> db.count("SELECT count(*) FROM etl_runs WHERE status = 'success'") == 3);

        JsonNode hourly = api.ok("/stats/timeline");
        assertThat(hourly.get("bucket").asText()).isEqualTo("hour");
        assertThat(hourly.get("buckets").asInt()).isEqualTo(60);
        JsonNode products = point(hourly, "products_csv");
        // The same bytes again: a run that loads nothing.
        assertThat(products.get("runs").asLong()).isEqualTo(2);
        assertThat(products.get("failed_runs").asLong()).isZero();
        assertThat(products.get("records_loaded").asLong()).isEqualTo(3);
        assertThat(products.get("records_rejected").asLong()).isEqualTo(2);
        assertThat(point(hourly, "vendors_csv").get("records_loaded").asLong()).isEqualTo(2);

        // A run older than the window is not in it.
        jdbcTemplate.update("UPDATE etl_runs SET created_at = now() - interval '2 days' WHERE source = 'vendors_csv'");
        JsonNode lastMinutes = api.ok("/stats/timeline?bucket=minute&buckets=30");
        assertThat(lastMinutes.get("items")).extracting(p -> p.get("source").asText()).containsOnly("products_csv");
        assertThat(api.ok("/stats/timeline?bucket=day&buckets=3").get("items"))
                .extracting(p -> p.get("source").asText()).contains("products_csv", "vendors_csv");

        assertThat(api.problem("/stats/timeline?bucket=week", 400).get("detail").asText())
                .isEqualTo("bucket must be one of minute, hour, day");
        assertThat(api.problem("/stats/timeline?buckets=0", 400).get("detail").asText())
                .isEqualTo("buckets must be an integer from 1 to 1000");

        JsonNode operation = api.ok("/openapi.json").get("paths").get("/stats/timeline").get("get");
        assertThat(operation.get("operationId").asText()).isEqualTo("getTimeline");
        assertThat(operation.get("parameters")).extracting(p -> p.get("name").asText())
                .containsExactlyInAnyOrder("bucket", "buckets");
    }

    private static JsonNode point(JsonNode timeline, String source) {
        JsonNode found = null;
        for (JsonNode point : timeline.get("items")) {
            if (point.get("source").asText().equals(source)) {
                assertThat(found).as("one point of %s in one bucket", source).isNull();
                found = point;
            }
        }
        assertThat(found).as("a point of %s", source).isNotNull();
        return found;
    }
}
