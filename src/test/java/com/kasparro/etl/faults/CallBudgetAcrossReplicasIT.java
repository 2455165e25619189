package com.kasparro.etl.faults;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.kasparro.etl.store.SqlFiles;
import com.kasparro.etl.support.ServiceProcess;
import com.kasparro.etl.support.Sql;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CoinGecko call budget is one budget of the whole deployment: two packaged service processes
 * on one PostgreSQL, both CoinGecko sources polled every 5 s by the clustered schedule and by admin
 * triggers, and WireMock as CoinGecko never sees more requests in a minute, or in a month, than
 * the settings allow for the two together.
 *
 * <p>Each replica sends its own API key only so that WireMock's journal tells whose request it
 * was; the budget counts every CoinGecko request whatever the key. The first replica's schedules
 * spend the first minute while the second one starts; the second one's admin triggers take their
 * turn once the window has room again. A month of polls does not fit in a test: its counter is set
 * to the cap under the budget's lock, and from then on every poll of either replica fails.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CallBudgetAcrossReplicasIT {

    static final int PER_MINUTE = 6;
    static final long PER_MONTH = 1000;
    static final String THIS_MONTH = "month = CAST(date_trunc('month', now() AT TIME ZONE 'UTC') AS date)";
    static final String TOKEN = "admin-budget-it-5d1e";
    static final String KEY_HEADER = "x-cg-demo-api-key";
    static final String LIST = "/api/v3/coins/list";
    static final String MARKETS = "/api/v3/coins/markets";
    static final String LIST_TRIGGER = "/runs/coingecko";
    static final String MARKETS_TRIGGER = "/sources/coingecko_markets/poll";

    @TempDir
    static Path work;

    EmbeddedPostgres postgres;
    final WireMockServer coinGecko = new WireMockServer(options().dynamicPort());
    final List<ServiceProcess> replicas = new ArrayList<>();
    ServiceProcess first;
    ServiceProcess second;
    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    void startCoinGeckoAndTwoReplicas() throws IOException {
        postgres = EmbeddedPostgres.builder().setDataDirectory(work.resolve("shared-pg"))
                .setCleanDataDirectory(true).start();
        coinGecko.start();
        coinGecko.stubFor(get(urlPathEqualTo(LIST)).willReturn(jsonBody(resource("coingecko/coins_list.json"))));
        // A markets poll is two requests: a full page of 250 coins, then a short one that ends it.
        coinGecko.stubFor(get(urlPathEqualTo(MARKETS)).withQueryParam("page", equalTo("1"))
                .willReturn(jsonBody(marketsPage(1, 250))));
        coinGecko.stubFor(get(urlPathEqualTo(MARKETS)).withQueryParam("page", equalTo("2"))
                .willReturn(jsonBody(marketsPage(251, 40))));
        // One after the other: the first one's Flyway migration and schedules are stored alone.
        first = startReplica("replica-a");
        second = startReplica("replica-b");
    }

    @AfterAll
    void stopEverything() throws Exception {
        for (ServiceProcess replica : replicas) {
            replica.close();
        }
        coinGecko.stop();
        if (postgres != null) {
            postgres.close();
        }
        // The services' logs outlive the temporary folder, for a failure's diagnosis.
        try (var logs = Files.newDirectoryStream(work, "service-*.log")) {
            for (Path log : logs) {
                Files.copy(log, Files.createDirectories(Path.of("target", "it-logs")).resolve(
                        getClass().getSimpleName() + "-" + log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    @Test
    @Order(1)
    void noSixtySecondsHoldMoreRequestsThanTheMinuteBudgetOfBothReplicasTogether() throws Exception {
        // Until both replicas have polled CoinGecko and the requests have filled a second window; the
        // second replica's triggers ask for polls whenever no poll of a source is running.
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (successfulPolls(second) == 0) {
                trigger(second, LIST_TRIGGER);
                trigger(second, MARKETS_TRIGGER);
            }
            return successfulPolls(first) > 0 && successfulPolls(second) > 0
                    && requests().size() >= 2 * PER_MINUTE
                    && requestsBy("replica-a") > 0 && requestsBy("replica-b") > 0;
        });

        List<ServeEvent> requests = requests();
        System.out.println("requests (ms after the first, key): " + timeline(requests));
        assertThat(successfulPolls(first)).as("CoinGecko runs of the first replica").isPositive();
        assertThat(successfulPolls(second)).as("CoinGecko runs of the second replica").isPositive();
        assertThat(requests).as("more requests than one minute's budget: some waited").hasSizeGreaterThan(PER_MINUTE);
        assertThat(loggedMillis(requests.get(requests.size() - 1)) - loggedMillis(requests.get(0)))
                .as("the requests go on past one window").isGreaterThan(60_000);
        assertThat(mostInAnySixtySeconds(requests)).as("requests in any 60 s, both replicas together")
                .isLessThanOrEqualTo(PER_MINUTE);
        for (ServiceProcess replica : List.of(first, second)) {
            JsonNode budget = stats(replica).get("coingecko_budget");
            assertThat(budget.get("minute_left").asLong()).isBetween(0L, (long) PER_MINUTE);
            assertThat(budget.get("month_left").asLong()).as("the month counts every request so far")
                    .isBetween(0L, PER_MONTH - requests.size());
        }
    }

    @Test
    @Order(2)
    void onceTheMonthIsSpentNoReplicaMakesARequestAndEveryPollFailsSayingSo() throws Exception {
        // A month of polls in a moment: under the budget's own lock, so that every request is either
        // recorded before (and made) or refused after.
        long recorded;
        try (Connection db = database(); Statement st = db.createStatement()) {
            db.setAutoCommit(false);
            st.execute(SqlFiles.load("call-budget-lock.sql").replace(":budget", "'coingecko'"));
            recorded = Sql.count(db, "SELECT COALESCE(sum(calls), 0) FROM call_budget_months "
                    + "WHERE budget = 'coingecko' AND " + THIS_MONTH);
            st.executeUpdate("UPDATE call_budget_months SET calls = " + PER_MONTH
                    + " WHERE budget = 'coingecko' AND " + THIS_MONTH);
            db.commit();
        }
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> requests().size() >= recorded);
        assertThat(requests()).as("every request WireMock saw was counted, once").hasSize((int) recorded);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> monthLeft(first) == 0 && monthLeft(second) == 0);

        YearMonth month = YearMonth.now(ZoneOffset.UTC);
        String spent = "CoinGecko monthly call budget spent: " + PER_MONTH + " of etl.coingecko.calls-per-month="
                + PER_MONTH + " used in " + month + "; polls resume on " + month.plusMonths(1).atDay(1) + "T00:00Z";
        // The paged source names the page it could not fetch.
        Map<String, String> messages = Map.of(LIST_TRIGGER, spent, MARKETS_TRIGGER, "page 1: " + spent);
        for (ServiceProcess replica : List.of(first, second)) {
            for (String path : List.of(LIST_TRIGGER, MARKETS_TRIGGER)) {
                long runId = awaitAccepted(replica, path);
                JsonNode run = awaitFinished(replica, runId);
                assertThat(run.get("status").asText()).as("%s on %s", path, replica.baseUrl()).isEqualTo("failed");
                assertThat(run.get("error_message").asText()).isEqualTo(messages.get(path));
                assertThat(run.get("instance_id").asText()).startsWith(replica.pid() + "@");
            }
        }
        // The schedules go on polling on both replicas: every poll fails, none makes a request.
        String failedScheduled = "SELECT count(*) FROM etl_runs WHERE trigger = 'schedule' AND status = 'failed' "
                + "AND error_message IN ('" + spent + "', 'page 1: " + spent + "')";
        try (Connection db = database()) {
            long failedBefore = Sql.count(db, failedScheduled);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                    .until(() -> Sql.count(db, failedScheduled) >= failedBefore + 2);
            assertThat(Sql.count(db, "SELECT calls FROM call_budget_months WHERE budget = 'coingecko' AND "
                    + THIS_MONTH)).isEqualTo(PER_MONTH);
        }
        assertThat(requests()).as("no request once the month is spent").hasSize((int) recorded);
        for (ServiceProcess replica : List.of(first, second)) {
            JsonNode budget = stats(replica).get("coingecko_budget");
            assertThat(budget.get("month_left").asLong()).isZero();
            assertThat(budget.get("minute_left").asLong()).isBetween(0L, (long) PER_MINUTE);
        }
    }

    /** A healthy replica with both CoinGecko sources every 5 s and no start-up poll. */
    private ServiceProcess startReplica(String apiKey) throws IOException {
        Map<String, String> env = Map.of(
                "SPRING_DATASOURCE_URL", postgres.getJdbcUrl("postgres", "postgres"),
                "SPRING_DATASOURCE_USERNAME", "postgres",
                "SPRING_DATASOURCE_PASSWORD", "",
                "ETL_INBOX_DIR", Files.createDirectories(work.resolve("inbox")).toString());
        ServiceProcess replica = new ServiceProcess(work, ServiceProcess.freePort(), env,
                "--etl.admin-token=" + TOKEN,
                "--etl.coingecko.base-url=" + coinGecko.baseUrl() + "/api/v3",
                "--etl.coingecko.api-key=" + apiKey,
                "--etl.coingecko.schedule=0/5 * * * * ?",
                "--etl.coingecko.markets.schedule=2/5 * * * * ?",
                "--etl.coingecko.markets.pages=4",
                "--etl.coingecko.startup-delay=1h",
                "--etl.coingecko.calls-per-minute=" + PER_MINUTE,
                "--etl.coingecko.calls-per-month=" + PER_MONTH).start();
        replicas.add(replica);
        return replica.awaitHealthy(Duration.ofMinutes(3));
    }

    /** POSTs an admin trigger: the run id when the poll started, empty while a poll of the source runs. */
    private OptionalLong trigger(ServiceProcess replica, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(replica.baseUrl() + path))
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 409) {
            return OptionalLong.empty();
        }
        assertThat(response.statusCode()).as("POST %s: %s", path, response.body()).isEqualTo(202);
        return OptionalLong.of(json.readTree(response.body()).get("run_id").asLong());
    }

    /** Up to a window and a half: a poll of the source may be waiting for the minute (61 s) until it sees the month. */
    private long awaitAccepted(ServiceProcess replica, String path) {
        OptionalLong[] runId = {OptionalLong.empty()};
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                .until(() -> (runId[0] = trigger(replica, path)).isPresent());
        return runId[0].getAsLong();
    }

    private JsonNode awaitFinished(ServiceProcess replica, long runId) {
        JsonNode[] run = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> !"running".equals((run[0] = read(replica, "/runs/" + runId)).get("status").asText()));
        return run[0];
    }

    private JsonNode stats(ServiceProcess replica) throws IOException, InterruptedException {
        return read(replica, "/stats");
    }

    private long monthLeft(ServiceProcess replica) {
        try {
            return stats(replica).at("/coingecko_budget/month_left").asLong(-1);
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }

    private JsonNode read(ServiceProcess replica, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(replica.baseUrl() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
        return json.readTree(response.body());
    }

    /** The CoinGecko polls of a replica that succeeded: each made its requests. */
    private long successfulPolls(ServiceProcess replica) throws SQLException {
        try (Connection db = database()) {
            return Sql.count(db, "SELECT count(*) FROM etl_runs WHERE status = 'success' "
                    + "AND source IN ('coingecko_api', 'coingecko_markets') "
                    + "AND instance_id LIKE '" + replica.pid() + "@%'");
        }
    }

    private Connection database() throws SQLException {
        return postgres.getPostgresDatabase().getConnection();
    }

    /** Every request WireMock received, oldest first. */
    private List<ServeEvent> requests() {
        List<ServeEvent> events = new ArrayList<>(coinGecko.getAllServeEvents());
        events.sort(Comparator.comparing(e -> e.getRequest().getLoggedDate()));
        return events;
    }

    private long requestsBy(String apiKey) {
        return requests().stream().filter(byKey(apiKey)).count();
    }

    private static Predicate<ServeEvent> byKey(String apiKey) {
        return e -> apiKey.equals(e.getRequest().getHeader(KEY_HEADER));
    }

    private static long loggedMillis(ServeEvent event) {
        return event.getRequest().getLoggedDate().getTime();
    }

    /** The most requests any 60 s (both ends included) hold: the most from one request on. */
    private static int mostInAnySixtySeconds(List<ServeEvent> requests) {
        int most = 0;
        int from = 0;
        for (int to = 0; to < requests.size(); to++) {
            while (loggedMillis(requests.get(to)) - loggedMillis(requests.get(from)) > 60_000) {
                from++;
            }
            most = Math.max(most, to - from + 1);
        }
        return most;
    }

    private static String timeline(List<ServeEvent> requests) {
        long start = loggedMillis(requests.get(0));
        return requests.stream().map(e -> (loggedMillis(e) - start) + " " + e.getRequest().getHeader(KEY_HEADER))
                .collect(Collectors.joining(", "));
    }

    private static ResponseDefinitionBuilder jsonBody(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = CallBudgetAcrossReplicasIT.class.getResourceAsStream("/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Coins {@code from..from+count-1} by market cap, as CoinGecko's /coins/markets answers them. */
    private static String marketsPage(int from, int count) {
        return IntStream.range(from, from + count).mapToObj(rank -> {
            double price = 90_000.0 / rank;
            long cap = 1_800_000_000_000L / rank;
            return String.format(Locale.ROOT, "{\"id\":\"coin-%d\",\"symbol\":\"c%d\",\"name\":\"Coin %d\","
                    + "\"image\":\"https://coin-images.coingecko.com/coins/images/%d/large/coin.png\","
                    + "\"current_price\":%.6f,\"market_cap\":%d,\"market_cap_rank\":%d,"
                    + "\"fully_diluted_valuation\":%d,\"total_volume\":%d,\"high_24h\":%.6f,\"low_24h\":%.6f,"
                    + "\"price_change_24h\":%.6f,\"price_change_percentage_24h\":-1.2345,"
                    + "\"market_cap_change_24h\":-%d,\"market_cap_change_percentage_24h\":-1.2301,"
                    + "\"circulating_supply\":19790000.0,\"total_supply\":21000000.0,\"max_supply\":null,"
                    + "\"ath\":%.6f,\"ath_change_percentage\":-12.5,\"ath_date\":\"2025-10-06T18:57:42.558Z\","
                    + "\"atl\":%.6f,\"atl_change_percentage\":150000.1,\"atl_date\":\"2013-07-06T00:00:00.000Z\","
                    + "\"roi\":null,\"last_updated\":\"2026-12-04T10:00:00.000Z\"}",
                    rank, rank, rank, rank, price, cap, rank, cap + cap / 10, cap / 20, price * 1.02, price * 0.97,
                    -price * 0.012, cap / 80, price * 1.14, price / 1000);
        }).collect(Collectors.joining(",", "[", "]"));
    }
}
