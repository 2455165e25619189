package com.kasparro.etl.faults;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.kasparro.etl.support.Inbox;
import com.kasparro.etl.support.ServiceProcess;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two packaged service processes on one PostgreSQL and one inbox, as two Kubernetes replicas with a
 * ReadWriteMany volume: every file is processed by exactly one of them, once, and every CoinGecko
 * tick reaches the fake API exactly once.
 */
class TwoReplicasIT {

    static final int FILES = 40;
    static final int ROWS_PER_FILE = 100;

    @TempDir
    Path work;

    @Test
    void eachFileOnceAndEachTickOnce() throws Exception {
        Path inboxDir = Files.createDirectories(work.resolve("inbox"));
        WireMockServer coingecko = new WireMockServer(options().dynamicPort());
        coingecko.start();
        StringBuilder coins = new StringBuilder("[");
        for (int i = 0; i < 50; i++) {
            coins.append(i == 0 ? "" : ",").append("{\"id\":\"coin-").append(i)
                    .append("\",\"symbol\":\"c").append(i).append("\",\"name\":\"Coin ").append(i).append("\"}");
        }
        coingecko.stubFor(get(urlPathEqualTo("/api/v3/coins/list")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody(coins.append(']').toString())));

        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(work.resolve("shared-pg")).setCleanDataDirectory(true).start()) {
            Map<String, String> env = Map.of(
                    "SPRING_DATASOURCE_URL", postgres.getJdbcUrl("postgres", "postgres"),
                    "SPRING_DATASOURCE_USERNAME", "postgres",
                    "SPRING_DATASOURCE_PASSWORD", "",
                    "ETL_INBOX_DIR", inboxDir.toString(),
                    "ETL_COINGECKO_BASE_URL", coingecko.baseUrl() + "/api/v3",
                    "ETL_COINGECKO_SCHEDULE", "0/4 * * * * ?");
            String[] args = {"--etl.coingecko.startup-delay=1h", "--etl.inbox.read-lock-min-age=200ms"};
            List<ServiceProcess> replicas = new ArrayList<>();
            try {
                // Started one after the other: the first one's Flyway migration runs alone.
                replicas.add(new ServiceProcess(work, ServiceProcess.freePort(), env, args).start()
                        .awaitHealthy(Duration.ofMinutes(3)));
                replicas.add(new ServiceProcess(work, ServiceProcess.freePort(), env, args).start()
                        .awaitHealthy(Duration.ofMinutes(3)));

                Inbox inbox = new Inbox(inboxDir);
                for (int f = 0; f < FILES; f++) {
                    StringBuilder csv = new StringBuilder("product_id,name,category,price\n");
                    for (int r = 0; r < ROWS_PER_FILE; r++) {
                        csv.append("f").append(f).append("-r").append(r).append(",Item,Cat,").append(r + 1).append('\n');
                    }
                    inbox.drop("products-" + f + ".csv", csv.toString());
                }
                await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> inbox.done().size() == FILES);
                // Let a few more CoinGecko ticks happen with both replicas up.
                long ticksBefore = coingecko.getAllServeEvents().size();
                await().atMost(Duration.ofSeconds(40)).until(() -> coingecko.getAllServeEvents().size() >= ticksBefore + 3);

                try (Connection db = postgres.getPostgresDatabase().getConnection()) {
                    assertThat(count(db, "SELECT count(*) FROM etl_runs WHERE source = 'products_csv'")).isEqualTo(FILES);
                    assertThat(count(db, "SELECT count(*) FROM etl_runs WHERE source = 'products_csv' "
                            + "AND status = 'success'")).isEqualTo(FILES);
                    assertThat(count(db, "SELECT count(DISTINCT file_name) FROM etl_runs "
                            + "WHERE source = 'products_csv'")).isEqualTo(FILES);
                    assertThat(count(db, "SELECT count(*) FROM unified_records WHERE source = 'products_csv'"))
                            .isEqualTo(FILES * ROWS_PER_FILE);
                    assertThat(count(db, "SELECT count(*) FROM raw_csv_data")).isEqualTo(FILES * ROWS_PER_FILE);
                    assertThat(count(db, "SELECT record_count FROM source_stats WHERE source = 'products_csv'"))
                            .isEqualTo(FILES * ROWS_PER_FILE);
                    assertThat(count(db, "SELECT count(*) FROM etl_runs WHERE status = 'failed'")).isZero();

                    // One request per tick: never two requests for one tick (two replicas firing the
                    // same tick would be milliseconds apart), and no more requests than ticks elapsed.
                    // (A tick may fire late on a loaded machine, so gaps are not exactly 4 s.)
                    long polls = count(db, "SELECT count(*) FROM etl_runs WHERE source = 'coingecko_api'");
                    List<ServeEvent> requests = new ArrayList<>(coingecko.getAllServeEvents());
                    requests.sort(Comparator.comparing(e -> e.getRequest().getLoggedDate()));
                    assertThat(requests).hasSizeGreaterThanOrEqualTo(3);
                    assertThat((long) requests.size()).isLessThanOrEqualTo(polls);
                    for (int i = 1; i < requests.size(); i++) {
                        long gap = requests.get(i).getRequest().getLoggedDate().getTime()
                                - requests.get(i - 1).getRequest().getLoggedDate().getTime();
                        assertThat(gap).as("gap between polls %d and %d", i - 1, i).isGreaterThan(1_000);
                    }
                    long span = requests.get(requests.size() - 1).getRequest().getLoggedDate().getTime()
                            - requests.get(0).getRequest().getLoggedDate().getTime();
                    assertThat((long) requests.size()).isLessThanOrEqualTo(span / 4_000 + 2);
                }
                assertThat(inbox.error()).isEmpty();
                assertThat(inbox.pending()).isEmpty();
            } finally {
                for (ServiceProcess replica : replicas) {
                    replica.close();
                }
                coingecko.stop();
            }
        }
    }

    private static long count(Connection db, String sql) throws java.sql.SQLException {
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
