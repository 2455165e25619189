package com.kasparro.etl.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.kasparro.etl.support.Browser;
import com.kasparro.etl.support.EtlIntegrationTest;
import com.kasparro.etl.support.LogCapture;
import com.kasparro.etl.support.Samples;
import com.kasparro.etl.support.ServiceTestSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The status page at {@code /} in real headless Chromium, against the whole service on its embedded
 * PostgreSQL, with WireMock as CoinGecko. Each test opens the page once and then only watches it:
 * the marker set in the window at the start would be gone after a reload.
 */
@EnabledIf(value = "com.kasparro.etl.support.Browser#installed", disabledReason = Browser.NOT_INSTALLED)
@EtlIntegrationTest
@TestPropertySource(properties = {
        "etl.coingecko.enabled=true",
        "etl.coingecko.schedule=0 0 0 1 1 ? 2099",
        "etl.coingecko.startup-delay=1h",
        "etl.coingecko.timeout=2s",
        "etl.admin-token=" + StatusPageBrowserTest.ADMIN_TOKEN})
class StatusPageBrowserTest extends ServiceTestSupport {

    static final String ADMIN_TOKEN = "page-admin-token-9d41";
    static final String COINS = "/api/v3/coins/list";
    static final int COINGECKO_PORT = freePort();
    static final Duration LIVE = Duration.ofSeconds(20);

    static WireMockServer coinGecko;
    static Browser browser;

    @DynamicPropertySource
    static void coinGeckoUrl(DynamicPropertyRegistry registry) {
        registry.add("etl.coingecko.base-url", () -> "http://localhost:" + COINGECKO_PORT + "/api/v3");
    }

    @BeforeAll
    static void startBrowser() throws IOException {
        coinGecko = new WireMockServer(options().port(COINGECKO_PORT));
        coinGecko.start();
        browser = Browser.start(1280, 1000);
    }

    @AfterAll
    static void stopBrowser() throws IOException {
        if (browser != null) {
            browser.close();
        }
        if (coinGecko != null) {
            coinGecko.stop();
        }
    }

    private LogCapture logs;

    @BeforeEach
    void openThePage() {
        coinGecko.resetAll();
        logs = LogCapture.attach();
        browser.resize(1280, 1000);
        page().get("http://localhost:" + port + "/");
        // Gone after a reload: proof that what follows arrived on the open page.
        script("window.openedOnce = 'yes'");
        // One card per configured source: coingecko_api, coingecko_markets, products_csv, vendors_csv.
        live().until(() -> cards().size() == 4);
        assertThat(browser.consoleProblems()).as("console while loading").isEmpty();
    }

    @AfterEach
    void forgetTheTokenLeaveThePageAndDetachLogs() {
        // The tab and its session outlive a test: the next one starts read-only.
        script("sessionStorage.clear()");
        browser.leavePage();
        logs.close();
    }

    @Test
    void theSampleFilesArriveOnTheOpenPageWithTheirFourRejectedRows() throws Exception {
        assertThat(page().getTitle()).isEqualTo("Kasparro ETL status");
        assertThat(cards()).extracting(c -> c.getDomAttribute("data-source"))
                .containsExactly("coingecko_api", "coingecko_markets", "products_csv", "vendors_csv");
        assertThat(text("#runs-body")).contains("No runs yet");

        inbox.drop("products.csv", Samples.PRODUCTS);
        inbox.drop("vendors.csv", Samples.VENDORS);

        live().untilAsserted(() -> {
            assertThat(text(card("products_csv"), "[data-field=records]")).isEqualTo("3");
            assertThat(text(card("vendors_csv"), "[data-field=records]")).isEqualTo("2");
            assertThat(runRows()).extracting(r -> r.getDomAttribute("data-status")).containsExactly("success", "success");
        });
        assertThat(text(card("products_csv"), "[data-freshness]")).isEqualTo("fresh");
        assertThat(text(card("products_csv"), "[data-field=last-run]")).startsWith("success");

        assertThat(rejectedRowsOf("products.csv")).containsExactly(
                List.of("4", "3,Chair,Furniture,not_a_number,baz", "price is not a decimal number: 'not_a_number'"),
                List.of("5", ",Table,Furniture,199,missing_id", "product_id is missing or empty"));
        assertThat(rejectedRowsOf("vendors.csv")).containsExactly(
                List.of("3", "A2,Lamp,Furniture,invalid_price", "amount is not a decimal number: 'invalid_price'"),
                List.of("5", "A4,,Electronics,19.99", "product_name is missing or empty"));
        assertThat(page().findElement(By.id("rejections-csv")).getDomAttribute("href"))
                .startsWith("/rejections.csv?source=vendors_csv&run_id=");

        live().until(() -> text("#chart-summary").contains("5 records loaded in 2 runs"));
        assertThat(page().findElements(By.cssSelector("#chart-records canvas"))).hasSize(1);
        assertThat(script("return window.openedOnce")).isEqualTo("yes");
        browser.resize(1280, 1900);
        script("window.scrollTo(0, 0)");
        browser.screenshot("status-page-with-data");
        assertThat(browser.consoleProblems()).isEmpty();
    }

    @Test
    void onAPhoneTheCardsRunsAndARunsRowsFitTheWidthWithoutSidewaysScrolling() throws Exception {
        inbox.drop("products.csv", Samples.PRODUCTS);
        inbox.drop("vendors.csv", Samples.VENDORS);
        live().until(() -> runRows().size() == 2);
        assertThat(rejectedRowsOf("vendors.csv")).hasSize(2);

        browser.resize(390, 844);
        live().until(() -> (Long) script("return window.innerWidth") <= 400);
        script("window.scrollTo(0, 0)");
        assertThat(cards()).hasSize(4).allSatisfy(card -> {
            assertThat(card.isDisplayed()).isTrue();
            assertThat(fitsTheWidth(card)).as(card.getDomAttribute("data-source")).isTrue();
        });
        WebElement runs = page().findElement(By.cssSelector("#runs .table-wrap"));
        assertThat(runs.isDisplayed()).isTrue();
        assertThat(fitsTheWidth(runs)).as("the runs table scrolls inside its own box").isTrue();
        assertThat(runRows()).allSatisfy(row -> assertThat(row.findElement(By.cssSelector("button[data-run]")).isDisplayed()).isTrue());
        assertThat(fitsTheWidth(page().findElement(By.id("token")))).as("the token field").isTrue();
        assertThat(script("return document.documentElement.scrollWidth <= document.documentElement.clientWidth"))
                .as("no sideways scrolling of the whole page at a phone's width").isEqualTo(true);
        browser.screenshot("status-page-phone");

        WebElement details = page().findElement(By.id("run-details"));
        script("arguments[0].scrollIntoView()", details);
        assertThat(fitsTheWidth(details)).as("a run's rejected rows").isTrue();
        assertThat(script("return document.documentElement.scrollWidth <= document.documentElement.clientWidth")).isEqualTo(true);
        browser.screenshot("status-page-phone-run");
        assertThat(script("return window.openedOnce")).isEqualTo("yes");
        assertThat(browser.consoleProblems()).isEmpty();
    }

    @Test
    void markupInAFileIsShownAsTextAndNeverRuns() throws Exception {
        String script = "7,<script>window.injected = 'script'</script>,Toys,not_a_number";
        String image = "8,\"<img src=x onerror=\"\"window.injected = 'img'\"\">\",Toys,-1";
        String fileName = "products_<img src=x onerror=alert(1)>.csv";
        inbox.drop(fileName, "product_id,name,category,price\n" + script + "\n" + image + "\n");

        live().until(() -> runRows().size() == 1);
        assertThat(text(runRows().get(0), "td.file")).isEqualTo(fileName);
        List<List<String>> rows = rejectedRowsOf(fileName);
        assertThat(rows).extracting(r -> r.get(1)).containsExactly(script, image);

        assertThat(script("return window.injected === undefined")).isEqualTo(true);
        assertThat(page().findElements(By.cssSelector("main img, main script"))).isEmpty();
        assertThat(script("return window.openedOnce")).isEqualTo("yes");
        browser.screenshot("status-page-markup-as-text");
        assertThat(browser.consoleProblems()).isEmpty();
    }

    @Test
    void aRunningFileShowsLiveProgressAndAFailedRunItsError() {
        long running = jdbcTemplate.queryForObject("INSERT INTO etl_runs (source, trigger, file_name, file_size, "
                + "bytes_read, records_read) VALUES ('products_csv', 'file', 'products-big.csv', 1000, 420, 4200) "
                + "RETURNING id", Long.class);
        jdbcTemplate.update("INSERT INTO etl_runs (source, status, trigger, file_name, finished_at, error_message) "
                + "VALUES ('vendors_csv', 'failed', 'file', 'vendors-bad.csv', now(), "
                + "'required column missing: <b>amount</b>')");

        live().untilAsserted(() -> {
            assertThat(progressOf(running)).isEqualTo("42");
            assertThat(text(card("vendors_csv"), "[data-freshness]")).isEqualTo("failing");
            assertThat(text(card("products_csv"), "[data-freshness]")).isEqualTo("fresh");
        });
        assertThat(runRows()).extracting(r -> r.getDomAttribute("data-status")).containsExactly("failed", "running");
        assertThat(text(runRows().get(0), "td.error")).isEqualTo("required column missing: <b>amount</b>");

        jdbcTemplate.update("UPDATE etl_runs SET bytes_read = 900, heartbeat_at = now() - interval '5 minutes' "
                + "WHERE id = ?", running);
        live().untilAsserted(() -> {
            assertThat(progressOf(running)).isEqualTo("90");
            assertThat(text(card("products_csv"), "[data-freshness]")).as("a file stuck for minutes").isEqualTo("late");
        });
        assertThat(script("return window.openedOnce")).isEqualTo("yes");
        browser.screenshot("status-page-progress");
        assertThat(browser.consoleProblems()).isEmpty();
    }

    @Test
    void withTheTokenPollNowStartsACoinGeckoPoll() {
        coinGecko.stubFor(get(urlPathEqualTo(COINS)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("[{\"id\":\"bitcoin\",\"symbol\":\"btc\",\"name\":\"Bitcoin\"},"
                        + "{\"id\":\"ethereum\",\"symbol\":\"eth\",\"name\":\"Ethereum\"}]")));
        assertThat(card("coingecko_api").findElements(By.cssSelector("[data-action=poll]")))
                .as("read-only without a token").isEmpty();

        enterTheToken();
        assertThat(script("return sessionStorage.getItem('kasparro-etl.admin-token')")).isEqualTo(ADMIN_TOKEN);
        assertThat(page().findElement(By.id("token")).getDomProperty("value")).isEmpty();

        live().until(() -> !card("coingecko_api").findElements(By.cssSelector("[data-action=poll]")).isEmpty());
        card("coingecko_api").findElement(By.cssSelector("[data-action=poll]")).click();

        live().untilAsserted(() -> {
            assertThat(text("#action-result")).matches("poll of coingecko_api started: run \\d+\\.");
            assertThat(text(card("coingecko_api"), "[data-field=records]")).isEqualTo("2");
            assertThat(runRows()).extracting(r -> r.getDomAttribute("data-status")).containsExactly("success");
        });
        coinGecko.verify(1, getRequestedFor(urlPathEqualTo(COINS)));
        assertThat(script("return performance.getEntriesByType('resource').map(e => new URL(e.name).pathname)"))
                .as("the generic per-source trigger, listed in the OpenAPI document")
                .asInstanceOf(InstanceOfAssertFactories.LIST).contains("/sources/coingecko_api/poll");
        live().until(() -> text("#drift-list").contains("baseline: 3 fields"));

        // CoinGecko changes shape; the next poll (started here, not on the page) shows its drift.
        coinGecko.stubFor(get(urlPathEqualTo(COINS)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("[{\"id\":\"bitcoin\",\"symbol\":\"btc\",\"name\":\"Bitcoin\",\"platforms\":{}}]")));
        ApiClient api = new ApiClient(port, json);
        live().until(() -> api.post("/runs/coingecko", "Bearer " + ADMIN_TOKEN).statusCode() == 202);
        live().untilAsserted(() -> assertThat(page().findElement(By.cssSelector("#drift-list > li")).getText())
                .contains("coingecko_api", "Added", "platforms: object"));

        assertThat(script("return window.openedOnce")).isEqualTo("yes");
        assertThat(logs.allText()).doesNotContain(ADMIN_TOKEN);
        assertThat(browser.consoleProblems()).isEmpty();

        page().findElement(By.id("token-forget")).click();
        live().until(() -> card("coingecko_api").findElements(By.cssSelector("[data-action=poll]")).isEmpty());
    }

    @Test
    void replayOnTheOpenPageLoadsTheRowsThatNowPassAndShowsTheReplayRun() throws Exception {
        enterTheToken();
        inbox.drop("products.csv", Samples.PRODUCTS);
        live().until(() -> db.count("SELECT count(*) FROM etl_runs WHERE status = 'success'") == 1);
        long file = db.count("SELECT id FROM etl_runs WHERE file_name = 'products.csv'");
        // A row refused under a stricter rule than today's, as if the source's rule had been relaxed since.
        jdbcTemplate.update("INSERT INTO rejected_rows (run_id, source, file_name, line_number, raw_text, reason)"
                + " VALUES (?, 'products_csv', 'products.csv', 7, '7,Stool,Furniture,20,x',"
                + " 'price must be greater than 100: ''20''')", file);
        assertThat(rejectedRowsOf("products.csv")).extracting(r -> r.get(0)).containsExactly("4", "5", "7");

        live().until(() -> page().findElement(By.id("replay")).isDisplayed());
        page().findElement(By.id("replay")).click();

        live().untilAsserted(() -> {
            assertThat(text("#action-result")).matches("replay of run " + file + " started: run \\d+\\.");
            assertThat(runRows()).hasSize(2);
            assertThat(runRows().get(0).getDomAttribute("data-status")).isEqualTo("success");
            assertThat(text(runRows().get(0), "td.file")).isEqualTo("replay of run " + file);
        });
        assertThat(db.count("SELECT count(*) FROM etl_runs WHERE source = 'products_csv' AND trigger = 'replay'"))
                .as("one replay run of the source").isEqualTo(1);
        long replay = db.count("SELECT id FROM etl_runs WHERE source = 'products_csv' AND trigger = 'replay'");
        assertThat(runRows().get(0).getDomAttribute("data-run-id")).isEqualTo(String.valueOf(replay));

        // The open file run: the row that now passes is loaded by the replay, the two others still fail.
        live().untilAsserted(() -> {
            assertThat(text(card("products_csv"), "[data-field=records]")).isEqualTo("4");
            assertThat(text("#rejections-body tr[data-line='7']")).endsWith("loaded since by run " + replay);
        });
        assertThat(page().findElements(By.cssSelector("#rejections-body tr[data-resolved-by]"))).hasSize(1);
        assertThat(jdbcTemplate.queryForList("SELECT line_number FROM rejected_rows WHERE run_id = ?"
                + " AND resolved_by_run IS NULL ORDER BY line_number", Long.class, file)).containsExactly(4L, 5L);
        assertThat(db.count("SELECT resolved_by_run FROM rejected_rows WHERE run_id = ? AND line_number = 7", file))
                .isEqualTo(replay);
        assertThat(page().findElement(By.id("replay")).isDisplayed()).as("two rows still to fix").isTrue();
        script("arguments[0].scrollIntoView()", page().findElement(By.id("run-details")));
        browser.screenshot("status-page-after-replay");

        // The replay run's own rejected rows: the same lines, refused again with today's reason.
        List<List<String>> again = rejectedRowsOfRun(String.valueOf(replay));
        assertThat(page().findElement(By.id("rejections-csv")).isDisplayed()).as("no file to download").isFalse();
        assertThat(page().findElement(By.id("replay")).isDisplayed()).as("replayed from their file's run").isFalse();
        assertThat(again).containsExactly(
                List.of("4", "3,Chair,Furniture,not_a_number,baz", "price is not a decimal number: 'not_a_number'"),
                List.of("5", ",Table,Furniture,199,missing_id", "product_id is missing or empty"));
        assertThat(script("return window.openedOnce")).isEqualTo("yes");
        assertThat(logs.allText()).doesNotContain(ADMIN_TOKEN);
        assertThat(browser.consoleProblems()).isEmpty();
    }

    @Test
    void theTokenPollNowARunAndReplayAreReachedAndUsedWithTheKeyboardAlone() throws Exception {
        coinGecko.stubFor(get(urlPathEqualTo(COINS)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("[{\"id\":\"bitcoin\",\"symbol\":\"btc\",\"name\":\"Bitcoin\"}]")));
        inbox.drop("products.csv", Samples.PRODUCTS);
        live().until(() -> runRows().size() == 1);
        String file = runRows().get(0).getDomAttribute("data-run-id");

        assertThat(tabTo("a.skip").getText()).isEqualTo("Skip to runs");
        tabTo("#token");
        keys(ADMIN_TOKEN, Keys.ENTER);
        assertThat(script("return sessionStorage.getItem('kasparro-etl.admin-token')")).isEqualTo(ADMIN_TOKEN);
        assertThat(focused().getDomAttribute("id")).as("Enter keeps the focus in the field").isEqualTo("token");

        live().until(() -> !card("coingecko_api").findElements(By.cssSelector("[data-action=poll]")).isEmpty());
        String pollNow = "[data-action=poll][data-source=coingecko_api]";
        tabTo(pollNow);
        keys(Keys.ENTER);
        live().untilAsserted(() -> {
            assertThat(text("#action-result")).matches("poll of coingecko_api started: run \\d+\\.");
            coinGecko.verify(1, getRequestedFor(urlPathEqualTo(COINS)));
            assertThat(text(card("coingecko_api"), "[data-field=records]")).isEqualTo("1");
        });
        assertThat(matches(focused(), pollNow)).as("the focus stays on the button it pressed").isTrue();

        tabTo("#runs-body button[data-run='" + file + "']");
        keys(Keys.ENTER);
        live().until(() -> text("#run-details-title").startsWith("Run #" + file + ":")
                && page().findElements(By.cssSelector("#rejections-body tr")).size() == 2);
        assertThat(focused().getDomAttribute("id")).as("Enter moves the focus to the run's details").isEqualTo("run-details");
        tabTo("#replay");
        new Actions(page()).keyDown(Keys.SHIFT).sendKeys(Keys.TAB).keyUp(Keys.SHIFT).perform();
        assertThat(focused().getDomAttribute("id")).as("Shift+Tab goes back").isEqualTo("rejections-csv");
        keys(Keys.TAB, Keys.SPACE);
        live().untilAsserted(() -> {
            assertThat(text("#action-result")).matches("replay of run " + file + " started: run \\d+\\.");
            assertThat(text(runRows().get(0), "td.file")).isEqualTo("replay of run " + file);
        });
        assertThat(db.count("SELECT count(*) FROM etl_runs WHERE source = 'products_csv' AND trigger = 'replay'"))
                .isEqualTo(1);

        // One page of runs: "Older" is offered to nobody, and pressing it keeps the keyboard's place.
        script("document.getElementById('runs-older').focus()");
        keys(Keys.ENTER);
        assertThat(focused().getDomAttribute("id")).isEqualTo("runs-older");
        assertThat(focused().getDomAttribute("aria-disabled")).isEqualTo("true");
        assertThat(text("#runs-page")).startsWith("page 1 of 1");
        assertThat(script("return window.openedOnce")).isEqualTo("yes");
        assertThat(logs.allText()).doesNotContain(ADMIN_TOKEN);
        assertThat(browser.consoleProblems()).isEmpty();
    }

    private static void enterTheToken() {
        page().findElement(By.id("token")).sendKeys(ADMIN_TOKEN);
        page().findElement(By.id("token-save")).click();
    }

    /** Presses keys as a person would, on whatever has the focus. */
    private static void keys(CharSequence... keys) {
        new Actions(page()).sendKeys(keys).perform();
    }

    private static WebElement focused() {
        return page().switchTo().activeElement();
    }

    private static boolean matches(WebElement element, String css) {
        return (Boolean) script("return arguments[0].matches(arguments[1])", element, css);
    }

    /**
     * Presses Tab until {@code css} has the focus, and checks every control passed on the way shows
     * it: on screen, with the page's focus outline.
     */
    private static WebElement tabTo(String css) {
        for (int stop = 0; stop < 60; stop++) {
            keys(Keys.TAB);
            WebElement focused = focused();
            String what = (String) script("const e = arguments[0]; return e.tagName + (e.id ? '#' + e.id : '')"
                    + " + ' ' + (e.getAttribute('aria-label') || e.textContent).trim().slice(0, 40)", focused);
            assertThat(script("const e = arguments[0], style = getComputedStyle(e), box = e.getBoundingClientRect();"
                    + " return e.matches(':focus-visible') && style.outlineStyle !== 'none'"
                    + " && parseFloat(style.outlineWidth) >= 2 && box.width > 0 && box.right > 0", focused))
                    .as("a visible focus on " + what).isEqualTo(true);
            if (matches(focused, css)) {
                return focused;
            }
        }
        throw new AssertionError("Tab never reached " + css);
    }

    /** Whether the element lies within the page's width, nothing of it cut off or sticking out. */
    private static boolean fitsTheWidth(WebElement element) {
        return (Boolean) script("const box = arguments[0].getBoundingClientRect();"
                + " return box.width > 0 && box.left >= 0 && box.right <= document.documentElement.clientWidth", element);
    }

    /** Waits as a person watching the page would; a redraw between finding an element and reading it is retried. */
    private static ConditionFactory live() {
        return await().atMost(LIVE).ignoreExceptions();
    }

    /** Opens the run of {@code fileName} and reads its rejected rows: line, raw text, reason. */
    private List<List<String>> rejectedRowsOf(String fileName) {
        return rejectedRowsOfRun(live().until(() -> runRows().stream().filter(r -> text(r, "td.file").equals(fileName))
                .findFirst().orElseThrow().getDomAttribute("data-run-id"), id -> true));
    }

    /** Opens run {@code runId} and reads its rejected rows: line, raw text, reason. */
    private List<List<String>> rejectedRowsOfRun(String runId) {
        live().until(() -> {
            page().findElement(By.cssSelector("#runs-body button[data-run='" + runId + "']")).click();
            return true;
        });
        live().until(() -> text("#run-details-title").startsWith("Run #" + runId + ":")
                && !page().findElements(By.cssSelector("#rejections-body tr")).isEmpty());
        List<List<String>> rows = new java.util.ArrayList<>();
        live().until(() -> {
            rows.clear();
            page().findElements(By.cssSelector("#rejections-body tr")).forEach(
                    tr -> rows.add(tr.findElements(By.tagName("td")).stream().map(WebElement::getText).toList()));
            return true;
        });
        return rows;
    }

    private static String progressOf(long runId) {
        return page().findElement(By.cssSelector("#runs-body tr[data-run-id='" + runId + "'] progress"))
                .getDomProperty("value");
    }

    private static WebDriver page() {
        return browser.driver();
    }

    private static Object script(String javascript, Object... arguments) {
        return browser.driver().executeScript(javascript, arguments);
    }

    private static List<WebElement> cards() {
        return page().findElements(By.cssSelector("#source-cards .card"));
    }

    private static WebElement card(String source) {
        return page().findElement(By.cssSelector("#source-cards .card[data-source='" + source + "']"));
    }

    private static List<WebElement> runRows() {
        return page().findElements(By.cssSelector("#runs-body tr[data-run-id]"));
    }

    private static String text(String css) {
        return page().findElement(By.cssSelector(css)).getText();
    }

    private static String text(WebElement within, String css) {
        return within.findElement(By.cssSelector(css)).getText();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
