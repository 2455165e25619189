package com.kasparro.etl.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.kasparro.etl.support.Csv;
import com.kasparro.etl.support.EmbeddedService;
import com.kasparro.etl.support.ServiceProcess;
import com.kasparro.etl.support.Sql;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large files of one source, and of both, moved into the inbox of one packaged service at the same
 * instant, with the default batch size: every run finishes with exact counts, a key two files share
 * holds the whole row of the file that arrived last, and SIGTERM afterwards stops the process well
 * within its shutdown time-out. Nothing waits for another file, so nothing hangs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ManyLargeFilesTogetherIT {

    /** Each of the two files: 200 batches of the default 1,000 rows. */
    static final int LARGE = 200_000;
    /** The two files share the keys s100000..s199999: a has s0..s199999, b s100000..s299999. */
    static final int OVERLAP_FROM = LARGE / 2;
    static final long DISTINCT = OVERLAP_FROM + LARGE;
    /** Each of the ten files: 40 batches. */
    static final int MEDIUM = 40_000;
    static final int INVALID_EVERY = 100;
    /** Generous: a file normally finishes in seconds, but the machine is shared. */
    static final Duration FINISH = Duration.ofMinutes(4);

    @TempDir
    static Path work;

    EmbeddedService service;
    ServiceProcess process;

    @BeforeAll
    void startOneInstanceWithTheDefaultSettings() throws Exception {
        // The defaults, where the test harness tunes them for speed: batch size, read-lock age, lease.
        service = new EmbeddedService(work, "--etl.batch-size=1000", "--etl.inbox.read-lock-min-age=1s",
                "--etl.inbox.claim-lease=30s");
        process = service.start();
    }

    @AfterAll
    void stop() throws Exception {
        if (process != null) {
            process.close();
        }
    }

    @Test
    @Order(1)
    void twoLargeFilesOfOneSourceSharingKeysBothFinishAndTheLaterArrivalHoldsTheSharedKeys() throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        // b goes first: should both get one ctime, the name (b after a) decides against the move order.
        files.put("products-big-b.csv", Csv.taggedProducts("Beta", "catb", 2, OVERLAP_FROM, OVERLAP_FROM + LARGE));
        files.put("products-big-a.csv", Csv.taggedProducts("Alpha", "cata", 1, 0, LARGE));
        List<Path> dropped = service.inbox.dropAllFrom(work.resolve("staging"), files);

        // The arrival order as docs/architecture.md gives it: the ctime the move set (in microseconds,
        // as PostgreSQL keeps it), then the name byte-wise for files that share one.
        Map<String, Instant> ctimes = dropped.stream().collect(Collectors.toMap(
                f -> f.getFileName().toString(), ManyLargeFilesTogetherIT::ctime));
        String last = ctimes.keySet().stream()
                .max(Comparator.comparing((Function<String, Instant>) ctimes::get).thenComparing(name -> name))
                .orElseThrow();
        boolean sameTick = ctimes.get("products-big-a.csv").equals(ctimes.get("products-big-b.csv"));
        System.out.printf("arrivals %s: %s decides, %s arrived last%n", ctimes, sameTick ? "the name" : "the ctime", last);

        awaitSuccess(files.keySet());

        try (Connection db = connect()) {
            // The service took the same arrival as the file system shows.
            assertThat(instants(db, "SELECT file_name, input_at FROM etl_runs WHERE file_name LIKE 'products-big-%'"))
                    .isEqualTo(new TreeMap<>(ctimes));
            assertThat(numbers(db, "SELECT file_name, records_read FROM etl_runs WHERE file_name LIKE 'products-big-%'"))
                    .isEqualTo(Map.of("products-big-a.csv", (long) LARGE, "products-big-b.csv", (long) LARGE));
            assertThat(numbers(db, "SELECT file_name, count(*) FROM raw_csv_data GROUP BY file_name"))
                    .isEqualTo(Map.of("products-big-a.csv", (long) LARGE, "products-big-b.csv", (long) LARGE));
            assertThat(Sql.count(db, "SELECT count(*) FROM unified_records WHERE source = 'products_csv'"))
                    .isEqualTo(DISTINCT);
            assertThat(Sql.count(db, "SELECT record_count FROM source_stats WHERE source = 'products_csv'"))
                    .isEqualTo(DISTINCT);

            String winner = last.equals("products-big-a.csv") ? Csv.taggedProductsRow("Alpha", "cata", 1)
                    : Csv.taggedProductsRow("Beta", "catb", 2);
            String key = "substr(external_id, 2)::int";
            assertThat(Sql.count(db, "SELECT count(*) FROM unified_records WHERE " + key + " BETWEEN " + OVERLAP_FROM
                    + " AND " + (LARGE - 1) + " AND " + winner))
                    .as("shared keys holding the whole row of %s", last).isEqualTo(LARGE - OVERLAP_FROM);
            assertThat(Sql.count(db, "SELECT count(*) FROM unified_records WHERE " + key + " < " + OVERLAP_FROM
                    + " AND " + Csv.taggedProductsRow("Alpha", "cata", 1))).isEqualTo(OVERLAP_FROM);
            assertThat(Sql.count(db, "SELECT count(*) FROM unified_records WHERE " + key + " >= " + LARGE
                    + " AND " + Csv.taggedProductsRow("Beta", "catb", 2))).isEqualTo(DISTINCT - LARGE);
            String runs = " FROM etl_runs WHERE file_name LIKE 'products-big-%'";
            assertThat(Sql.count(db, "SELECT sum(records_inserted)" + runs)).isEqualTo(DISTINCT);
            assertThat(Sql.count(db, "SELECT sum(records_inserted + records_updated + records_skipped)" + runs))
                    .isEqualTo(2L * LARGE);
            printRuns(db, "products-big-%");
        }
    }

    @Test
    @Order(2)
    void fiveFilesOfEachSourceMovedTogetherAllFinish() throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        for (int i = 1; i <= 5; i++) {
            files.put("products-many-" + i + ".csv", Csv.products("p" + i + "-", MEDIUM, INVALID_EVERY));
            files.put("vendors-many-" + i + ".csv", Csv.vendors("v" + i + "-", MEDIUM));
        }
        service.inbox.dropAllFrom(work.resolve("staging"), files);

        awaitSuccess(files.keySet());

        long invalid = Csv.invalidCount(MEDIUM, INVALID_EVERY);
        try (Connection db = connect()) {
            Map<String, Long> everyFile = files.keySet().stream()
                    .collect(Collectors.toMap(name -> name, name -> (long) MEDIUM));
            assertThat(numbers(db, "SELECT file_name, records_read FROM etl_runs WHERE file_name LIKE '%-many-%'"))
                    .isEqualTo(everyFile);
            assertThat(numbers(db, "SELECT file_name, count(*) FROM raw_csv_data WHERE file_name LIKE '%-many-%' "
                    + "GROUP BY file_name")).isEqualTo(everyFile);
            assertThat(numbers(db, "SELECT file_name, records_rejected FROM etl_runs WHERE file_name LIKE '%-many-%'"))
                    .isEqualTo(files.keySet().stream().collect(Collectors.toMap(name -> name,
                            name -> name.startsWith("products") ? invalid : 0L)));
            assertThat(Sql.count(db, "SELECT count(*) FROM unified_records WHERE source = 'products_csv' "
                    + "AND external_id LIKE 'p%'")).isEqualTo(5 * (MEDIUM - invalid));
            assertThat(Sql.count(db, "SELECT count(*) FROM unified_records WHERE source = 'vendors_csv'"))
                    .isEqualTo(5L * MEDIUM);
            assertThat(numbers(db, "SELECT source, record_count FROM source_stats "
                    + "WHERE source IN ('products_csv', 'vendors_csv')"))
                    .isEqualTo(Map.of("products_csv", DISTINCT + 5 * (MEDIUM - invalid),
                            "vendors_csv", 5L * MEDIUM));
            assertThat(Sql.count(db, "SELECT count(*) FROM rejected_rows")).isEqualTo(5 * invalid);
            assertThat(Sql.count(db, "SELECT count(*) FROM etl_runs WHERE file_name LIKE '%-many-%' AND overtakes"))
                    .as("loaded in arrival order, no file overtakes one that has left the inbox").isZero();
            printRuns(db, "%-many-%");
        }
    }

    @Test
    @Order(3)
    void aSigtermAfterwardsStopsTheProcessQuicklyWithNothingRunning() throws Exception {
        Map<String, String> unfinished;
        long claims;
        try (Connection db = connect()) {
            unfinished = rows(db, "SELECT file_name, status FROM etl_runs WHERE status <> 'success'");
            claims = Sql.count(db, "SELECT count(*) FROM inbox_claims");
        }

        Duration exit = process.terminate(Duration.ofSeconds(60));

        assertThat(exit).as("exit after SIGTERM, against a 40 s shutdown time-out").isLessThan(Duration.ofSeconds(20));
        assertThat(unfinished).as("runs not successful at SIGTERM").isEmpty();
        assertThat(claims).as("claims held at SIGTERM").isZero();
        assertThat(Files.readString(process.log())).doesNotContain("interrupted (the service stopped)");
        assertThat(service.inbox.pending()).isEmpty();
        assertThat(service.inbox.error()).isEmpty();
        assertThat(service.inbox.done()).hasSize(12);
    }

    /** Waits until every file's run succeeded and the file is in .done/; on time-out, shows each run's state. */
    private void awaitSuccess(Set<String> names) {
        Map<String, String> expected = names.stream().collect(Collectors.toMap(name -> name, name -> "success"));
        await().atMost(FINISH).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            try (Connection db = connect()) {
                Map<String, String> states = new TreeMap<>();
                names.forEach(name -> states.put(name, "no run yet"));
                rows(db, "SELECT file_name, status || ' after ' || records_read || ' rows' FROM etl_runs")
                        .forEach((name, state) -> {
                            if (names.contains(name)) {
                                states.put(name, state.startsWith("success") ? "success" : state);
                            }
                        });
                assertThat(states).as("each file's run").isEqualTo(expected);
            }
            assertThat(service.inbox.done()).containsAll(names);
        });
    }

    /** What each run did, for the test's output: figures for docs/performance.md, and a clue when it fails. */
    private static void printRuns(Connection db, String fileNameLike) throws SQLException {
        System.out.println(fileNameLike + " runs: " + rows(db, "SELECT file_name, concat_ws(' ', "
                + "'overtakes=' || overtakes, 'inserted=' || records_inserted, 'updated=' || records_updated, "
                + "'skipped=' || records_skipped, 'seconds=' || round(extract(epoch FROM finished_at - started_at), 1)) "
                + "FROM etl_runs WHERE file_name LIKE '" + fileNameLike + "'"));
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(service.jdbcUrl, "postgres", "");
    }

    private static Instant ctime(Path file) {
        try {
            return ((FileTime) Files.getAttribute(file, "unix:ctime")).toInstant().truncatedTo(ChronoUnit.MICROS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> rows(Connection db, String sql) throws SQLException {
        Map<String, String> rows = new TreeMap<>();
        try (PreparedStatement st = db.prepareStatement(sql); ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                rows.put(rs.getString(1), rs.getString(2));
            }
        }
        return rows;
    }

    private static Map<String, Long> numbers(Connection db, String sql) throws SQLException {
        return rows(db, sql).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> Long.parseLong(e.getValue()), (a, b) -> a, TreeMap::new));
    }

    private static Map<String, Instant> instants(Connection db, String sql) throws SQLException {
        Map<String, Instant> instants = new TreeMap<>();
        try (PreparedStatement st = db.prepareStatement(sql); ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                instants.put(rs.getString(1), rs.getTimestamp(2).toInstant());
            }
        }
        return instants;
    }
}
