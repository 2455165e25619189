package com.kasparro.etl.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.kasparro.etl.support.Csv;
import com.kasparro.etl.support.Inbox;
import com.kasparro.etl.support.ServiceProcess;
import com.kasparro.etl.support.Sql;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three packaged service processes on one PostgreSQL and one inbox, as three Kubernetes replicas
 * with a ReadWriteMany volume: every replica takes files (a claim in PostgreSQL gives each file to
 * one of them), two files of one source are written at the same time, and the file of a replica
 * killed with SIGKILL passes to another within the claim lease plus a poll and resumes after its
 * checkpoint. The replicas are started once for the three scenarios; the kill comes last.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicasShareTheWorkIT {

    static final Duration LEASE = Duration.ofSeconds(6);
    static final Duration POLL = Duration.ofSeconds(1);

    @TempDir
    static Path work;

    EmbeddedPostgres postgres;
    Inbox inbox;
    final List<ServiceProcess> replicas = new ArrayList<>();
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void startThreeReplicas() throws IOException {
        Path inboxDir = Files.createDirectories(work.resolve("inbox"));
        inbox = new Inbox(inboxDir);
        postgres = EmbeddedPostgres.builder().setDataDirectory(work.resolve("shared-pg"))
                .setCleanDataDirectory(true).start();
        Map<String, String> env = Map.of(
                "SPRING_DATASOURCE_URL", postgres.getJdbcUrl("postgres", "postgres"),
                "SPRING_DATASOURCE_USERNAME", "postgres",
                "SPRING_DATASOURCE_PASSWORD", "",
                "ETL_INBOX_DIR", inboxDir.toString(),
                "ETL_COINGECKO_ENABLED", "false",
                "ETL_INBOX_CLAIM_LEASE", LEASE.toSeconds() + "s");
        String[] args = {"--etl.inbox.read-lock-min-age=200ms", "--etl.batch-size=500"};
        // One after the other: the first one's Flyway migration runs alone.
        for (int i = 0; i < 3; i++) {
            replicas.add(new ServiceProcess(work, ServiceProcess.freePort(), env, args).start()
                    .awaitHealthy(Duration.ofMinutes(3)));
        }
    }

    @AfterAll
    void stop() throws Exception {
        for (ServiceProcess replica : replicas) {
            replica.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    @Order(1)
    void sixtyFilesOfTwoSourcesAreSharedOutEachLoadedOnce() throws Exception {
        int files = 30;
        int rows = 500;
        Map<String, String> drop = new LinkedHashMap<>();
        for (int f = 0; f < files; f++) {
            drop.put("products-share-" + f + ".csv", Csv.products("p" + f + "-", rows, 50));
            drop.put("vendors-share-" + f + ".csv", Csv.vendors("v" + f + "-", rows));
        }
        inbox.dropAll(drop);

        // While the files are worked on, every replica stays ready: another replica's claim is not a
        // failure of this one's consumers.
        Set<Integer> readiness = new TreeSet<>();
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500)).until(() -> {
            for (ServiceProcess replica : replicas) {
                readiness.add(readiness(replica));
            }
            return inbox.done().size() == 2 * files;
        });
        assertThat(readiness).containsExactly(200);

        long invalid = Csv.invalidCount(rows, 50);
        try (Connection db = postgres.getPostgresDatabase().getConnection()) {
            String shared = " FROM etl_runs WHERE file_name LIKE '%-share-%'";
            assertThat(Sql.count(db, "SELECT count(*)" + shared)).isEqualTo(2 * files);
            assertThat(Sql.count(db, "SELECT count(*)" + shared + " AND status = 'success'")).isEqualTo(2 * files);
            assertThat(Sql.count(db, "SELECT count(DISTINCT file_name)" + shared)).isEqualTo(2 * files);
            // Every replica loaded at least one file; each process has its own instance id.
            Map<String, Long> perReplica = groupCount(db,
                    "SELECT instance_id, count(*)" + shared + " GROUP BY instance_id");
            assertThat(perReplica.keySet()).containsExactlyInAnyOrderElementsOf(instanceIds());
            assertThat(perReplica.values()).allMatch(n -> n >= 1);
            assertThat(Sql.count(db, "SELECT count(*) FROM unified_records WHERE source = 'products_csv'"))
                    .isEqualTo(files * (rows - invalid));
            assertThat(Sql.count(db, "SELECT count(*) FROM unified_records WHERE source = 'vendors_csv'"))
                    .isEqualTo((long) files * rows);
            assertThat(Sql.count(db, "SELECT record_count FROM source_stats WHERE source = 'products_csv'"))
                    .isEqualTo(files * (rows - invalid));
            assertThat(Sql.count(db, "SELECT record_count FROM source_stats WHERE source = 'vendors_csv'"))
                    .isEqualTo((long) files * rows);
            assertThat(Sql.count(db, "SELECT count(*) FROM raw_csv_data")).isEqualTo(2L * files * rows);
            assertThat(Sql.count(db, "SELECT count(*) FROM rejected_rows")).isEqualTo(files * invalid);
            assertThat(Sql.count(db, "SELECT count(*) FROM inbox_claims")).isZero();
        }
        assertThat(inbox.pending()).isEmpty();
        assertThat(inbox.error()).isEmpty();
        System.out.println("files per replica: " + replicasByFiles());
    }

    @Test
    @Order(2)
    void twoFilesOfOneSourceSharingKeysAreWrittenAtOnceEachKeyWholeFromOneFile() throws Exception {
        int rows = 40_000;
        int overlapFrom = 20_000; // alpha: s0..s39999, beta: s20000..s59999; s20000..s39999 in both
        inbox.dropAll(Map.of(
                "products-alpha.csv", Csv.taggedProducts("Alpha", "cata", 1, 0, rows),
                "products-beta.csv", Csv.taggedProducts("Beta", "catb", 2, overlapFrom, overlapFrom + rows)));
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1))
                .until(() -> inbox.done().containsAll(List.of("products-alpha.csv", "products-beta.csv")));

        try (Connection db = postgres.getPostgresDatabase().getConnection()) {
            String runs = " FROM etl_runs WHERE file_name IN ('products-alpha.csv', 'products-beta.csv')";
            assertThat(Sql.count(db, "SELECT count(*)" + runs + " AND status = 'success'")).isEqualTo(2);
            assertThat(Sql.count(db, "SELECT count(*)" + runs)).isEqualTo(2);
            // Two replicas, at the same time.
            assertThat(Sql.count(db, "SELECT count(DISTINCT instance_id)" + runs)).isEqualTo(2);
            assertThat(Sql.count(db, "SELECT count(*) FROM etl_runs a JOIN etl_runs b ON a.id < b.id "
                    + "WHERE a.file_name IN ('products-alpha.csv', 'products-beta.csv') "
                    + "AND b.file_name IN ('products-alpha.csv', 'products-beta.csv') "
                    + "AND a.started_at < b.finished_at AND b.started_at < a.finished_at")).isEqualTo(1);

            long distinct = overlapFrom + rows;
            assertThat(Sql.count(db, "SELECT count(*) FROM unified_records WHERE external_id LIKE 's%'"))
                    .isEqualTo(distinct);
            // Each shared key holds one file's whole row, never fields of both.
            assertThat(Sql.count(db, "SELECT count(*) FROM unified_records WHERE external_id LIKE 's%' "
                    + "AND substr(external_id, 2)::int BETWEEN " + overlapFrom + " AND " + (rows - 1)
                    + " AND (" + Csv.taggedProductsRow("Alpha", "cata", 1)
                    + " OR " + Csv.taggedProductsRow("Beta", "catb", 2) + ")"))
                    .isEqualTo(rows - overlapFrom);
            // The counts add up: every row read once, every key inserted once, the rest updated or skipped.
            assertThat(Sql.count(db, "SELECT sum(records_read)" + runs)).isEqualTo(2L * rows);
            assertThat(Sql.count(db, "SELECT sum(records_inserted)" + runs)).isEqualTo(distinct);
            assertThat(Sql.count(db, "SELECT sum(records_inserted + records_updated + records_skipped)" + runs))
                    .isEqualTo(2L * rows);
            assertThat(Sql.count(db, "SELECT record_count FROM source_stats WHERE source = 'products_csv'"))
                    .isEqualTo(Sql.count(db, "SELECT count(*) FROM unified_records WHERE source = 'products_csv'"));
        }
    }

    @Test
    @Order(3)
    void aKilledReplicasFilePassesToAnotherWithinTheLeaseAndResumesAfterItsCheckpoint() throws Exception {
        int rows = 200_000;
        int invalidEvery = 100;
        inbox.drop("products-big.csv", Csv.products("k", rows, invalidEvery));
        String jdbcUrl = postgres.getJdbcUrl("postgres", "postgres");
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100))
                .until(() -> rowsRead(jdbcUrl, "products-big.csv") >= 30_000);

        String holder;
        try (Connection db = postgres.getPostgresDatabase().getConnection()) {
            holder = text(db, "SELECT instance_id FROM inbox_claims WHERE claim_key = 'products-big.csv'");
        }
        ServiceProcess holding = replicas.stream()
                .filter(r -> holder.startsWith(r.pid() + "@")).findFirst().orElseThrow();
        holding.kill();
        long killedAt = System.currentTimeMillis();
        replicas.remove(holding);

        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1))
                .until(() -> inbox.done().contains("products-big.csv"));

        long invalid = Csv.invalidCount(rows, invalidEvery);
        try (Connection db = postgres.getPostgresDatabase().getConnection()) {
            String runs = " FROM etl_runs WHERE file_name = 'products-big.csv'";
            long takenOverAt = Sql.count(db, "SELECT (extract(epoch FROM started_at) * 1000)::bigint" + runs
                    + " AND resumed_from_line > 0");
            System.out.printf("kill -9 to the takeover run's start: %d ms (lease %s, poll %s)%n",
                    takenOverAt - killedAt, LEASE, POLL);
            // Within the lease and a poll (and the read lock's min age), with room for a loaded machine.
            assertThat(takenOverAt - killedAt).isLessThan(LEASE.plus(POLL).plusSeconds(5).toMillis());

            assertThat(Sql.count(db, "SELECT count(*)" + runs)).isEqualTo(2);
            assertThat(Sql.count(db, "SELECT count(*)" + runs + " AND status = 'success' AND instance_id <> '"
                    + holder + "'")).isEqualTo(1);
            assertThat(Sql.count(db, "SELECT count(*)" + runs + " AND status = 'failed' AND instance_id = '"
                    + holder + "' AND error_message LIKE 'interrupted:%'")).isEqualTo(1);
            assertThat(Sql.count(db, "SELECT count(*) FROM etl_runs WHERE status = 'running'")).isZero();
            assertThat(Sql.count(db, "SELECT sum(records_read)" + runs)).isEqualTo(rows);
            assertThat(Sql.count(db, "SELECT sum(records_inserted)" + runs)).isEqualTo(rows - invalid);
            assertThat(Sql.count(db, "SELECT count(*) FROM unified_records WHERE external_id LIKE 'k%'"))
                    .isEqualTo(rows - invalid);
            String raw = " FROM raw_csv_data WHERE file_name = 'products-big.csv'";
            assertThat(Sql.count(db, "SELECT count(*)" + raw)).isEqualTo(rows);
            assertThat(Sql.count(db, "SELECT count(DISTINCT line_number)" + raw)).isEqualTo(rows);
            String rejected = " FROM rejected_rows WHERE file_name = 'products-big.csv'";
            assertThat(Sql.count(db, "SELECT count(*)" + rejected)).isEqualTo(invalid);
            assertThat(Sql.count(db, "SELECT count(DISTINCT line_number)" + rejected)).isEqualTo(invalid);
            assertThat(Sql.count(db, "SELECT record_count FROM source_stats WHERE source = 'products_csv'"))
                    .isEqualTo(Sql.count(db, "SELECT count(*) FROM unified_records WHERE source = 'products_csv'"));
            assertThat(Sql.count(db, "SELECT count(*) FROM inbox_claims")).isZero();
        }
        assertThat(inbox.pending()).isEmpty();
        assertThat(inbox.error()).isEmpty();
    }

    private int readiness(ServiceProcess replica) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(replica.baseUrl() + "/actuator/health/readiness"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    private Set<String> instanceIds() {
        Set<String> ids = new TreeSet<>();
        try (Connection db = postgres.getPostgresDatabase().getConnection()) {
            for (ServiceProcess replica : replicas) {
                ids.add(text(db, "SELECT DISTINCT instance_id FROM etl_runs WHERE instance_id LIKE '"
                        + replica.pid() + "@%'"));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return ids;
    }

    private Map<String, Long> replicasByFiles() throws SQLException {
        try (Connection db = postgres.getPostgresDatabase().getConnection()) {
            return groupCount(db, "SELECT instance_id, count(*) FROM etl_runs GROUP BY instance_id");
        }
    }

    private static long rowsRead(String jdbcUrl, String fileName) {
        try (Connection db = java.sql.DriverManager.getConnection(jdbcUrl, "postgres", "")) {
            return Sql.count(db, "SELECT COALESCE(sum(records_read), 0) FROM etl_runs WHERE file_name = '"
                    + fileName + "'");
        } catch (SQLException e) {
            return 0;
        }
    }

    private static Map<String, Long> groupCount(Connection db, String sql) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getLong(2));
            }
        }
        return counts;
    }

    private static String text(Connection db, String sql) throws SQLException {
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            assertThat(rs.next()).as("a row for %s", sql).isTrue();
            return rs.getString(1);
        }
    }
}
