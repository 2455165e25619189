import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.postgresql.PGConnection;

/**
 * The benchmarks' helper: file generator, run watcher, count checks, the JDBC batch peer and the
 * COPY floor. Not part of the service; compiled by scripts/bench/lib.sh against the PostgreSQL
 * driver and commons-csv taken from the service's own jar.
 *
 * <p>Output is {@code key=value} lines that the bash scripts {@code eval}. Any failed check exits 1.
 * Database credentials come from BENCH_DB_URL / BENCH_DB_USER / BENCH_DB_PASSWORD.
 */
public class Bench {

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "gen" -> gen(Path.of(args[1]), Long.parseLong(args[2]), Boolean.parseBoolean(args[3]),
                    args.length > 4 ? args[4] : "P");
            case "wait-http" -> waitHttp(args[1], Long.parseLong(args[2]), args.length > 3 ? Long.parseLong(args[3]) : -1);
            case "wait-run" -> waitRun(args[1], args[2], Long.parseLong(args[3]));
            case "verify" -> verify(args);
            case "peer" -> peer(Path.of(args[1]), args.length > 2 ? Path.of(args[2]) : null);
            case "copy" -> copyFloor(Path.of(args[1]));
            case "sql" -> {
                for (int i = 1; i < args.length; i++) {
                    sql(args[i]);
                }
            }
            case "reset" -> reset();
            case "stats-latency" -> statsLatency(args[1], Integer.parseInt(args[2]));
            case "fake-coingecko" -> fakeCoinGecko(Integer.parseInt(args[1]), Path.of(args[2]), Path.of(args[3]));
            case "trigger-poll" -> triggerPoll(args[1], args[2]);
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        }
    }

    // ---------------------------------------------------------------- generator

    static final String[] CATEGORIES = {"Electronics", "FURNITURE", "garden", "Toys", "Books", "Kitchen", "Sports", "Office"};
    static final String[] COLORS = {"red", "\"navy, matte\"", "black", "white", "\"green, \"\"forest\"\"\"", "silver", "blue", "oak"};
    static final String[] ADJECTIVES = {"Basic", "Deluxe", "Pro", "Mini", "Max", "Plus", "Lite", "Ultra"};

    /**
     * Deterministic products file: row i (1-based) has product_id P%08d. Every row with
     * i % 100 == 37 is invalid (four kinds in turn), so about 1% are rejected. With
     * {@code changed}, every valid row with i % 100 == 71 gets a different price (1% changed).
     * {@code idPrefix} other than "P" gives keys that no "P" file shares (the warm-up file).
     */
    static void gen(Path file, long rows, boolean changed, String idPrefix) throws IOException {
        long invalid = 0;
        long changedRows = 0;
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("product_id,name,category,price,brand,color,stock\n");
            StringBuilder sb = new StringBuilder(128);
            for (long i = 1; i <= rows; i++) {
                sb.setLength(0);
                String id = idPrefix + String.format("%08d", i);
                String name = "Product " + i + " " + ADJECTIVES[(int) (i % 8)];
                long cents = 100 + (i * 7919) % 99_900;
                if (changed && i % 100 == 71) {
                    cents += 1;
                    changedRows++;
                }
                String price = (cents / 100) + "." + String.format("%02d", cents % 100);
                if (i % 100 == 37) {
                    invalid++;
                    switch ((int) ((i / 100) % 4)) {
                        case 0 -> id = "";
                        case 1 -> price = "n/a";
                        case 2 -> price = "-" + price;
                        default -> name = "";
                    }
                }
                sb.append(id).append(',').append(name).append(',').append(CATEGORIES[(int) (i % 8)]).append(',')
                        .append(price).append(",Brand-").append(i % 1000).append(',')
                        .append(COLORS[(int) ((i / 8) % 8)]).append(',').append((i * 31) % 10_000).append('\n');
                w.append(sb);
            }
        }
        System.out.println("gen_rows=" + rows);
        System.out.println("gen_invalid=" + invalid);
        System.out.println("gen_valid=" + (rows - invalid));
        System.out.println("gen_changed=" + changedRows);
        System.out.println("gen_bytes=" + Files.size(file));
    }

    // ---------------------------------------------------------------- service watching

    /** Waits for HTTP 200 on {@code url}; gives up early when process {@code pid} (if not -1) has exited. */
    static void waitHttp(String url, long timeoutSeconds, long pid) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.currentTimeMillis() + timeoutSeconds * 1000;
        while (System.currentTimeMillis() < deadline) {
            if (pid != -1 && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true)) {
                fail("the service (pid " + pid + ") exited before answering on " + url);
            }
            try {
                HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(200);
        }
        fail("service did not answer 200 on " + url + " within " + timeoutSeconds + " s");
    }

    /**
     * Waits until the newest run of {@code source} for {@code fileName} (or any, for "-"; or the run
     * with that id, for "#id") is over.
     */
    static void waitRun(String source, String fileName, long timeoutSeconds) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutSeconds * 1000;
        try (Connection c = connect()) {
            String sql = "SELECT id, status, records_read, records_inserted, records_updated, records_skipped,"
                    + " records_rejected, coalesce(error_message, ''),"
                    + " (extract(epoch FROM started_at) * 1000)::bigint, (extract(epoch FROM finished_at) * 1000)::bigint"
                    + " FROM etl_runs WHERE source = ? AND (? = '-' OR file_name = ? OR '#' || id = ?) ORDER BY id DESC LIMIT 1";
            while (System.currentTimeMillis() < deadline) {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setString(1, source);
                    ps.setString(2, fileName);
                    ps.setString(3, fileName);
                    ps.setString(4, fileName);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next() && !"running".equals(rs.getString(2))) {
                            System.out.println("run_id=" + rs.getLong(1));
                            System.out.println("run_status=" + rs.getString(2));
                            System.out.println("run_read=" + rs.getLong(3));
                            System.out.println("run_inserted=" + rs.getLong(4));
                            System.out.println("run_updated=" + rs.getLong(5));
                            System.out.println("run_skipped=" + rs.getLong(6));
                            System.out.println("run_rejected=" + rs.getLong(7));
                            System.out.println("run_started_ms=" + rs.getLong(9));
                            System.out.println("run_finished_ms=" + rs.getLong(10));
                            if (!"success".equals(rs.getString(2))) {
                                fail("run " + rs.getLong(1) + " " + rs.getString(2) + ": " + rs.getString(8));
                            }
                            return;
                        }
                    }
                }
                Thread.sleep(100);
            }
        }
        fail("no finished run of " + source + " for " + fileName + " within " + timeoutSeconds + " s");
    }

    /**
     * verify RUN_ID read inserted updated skipped rejected UNIFIED_TOTAL RAW_ROWS: the run's counters,
     * its raw and rejected rows, the products' unified records, and source_stats against a count.
     */
    static void verify(String[] a) throws Exception {
        long runId = Long.parseLong(a[1]);
        long[] want = Arrays.stream(a, 2, 9).mapToLong(Long::parseLong).toArray();
        List<String> errors = new ArrayList<>();
        try (Connection c = connect(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT records_read, records_inserted, records_updated,"
                    + " records_skipped, records_rejected, status FROM etl_runs WHERE id = " + runId)) {
                if (!rs.next()) {
                    fail("run " + runId + " not found");
                }
                String[] names = {"records_read", "records_inserted", "records_updated", "records_skipped", "records_rejected"};
                for (int i = 0; i < 5; i++) {
                    if (rs.getLong(i + 1) != want[i]) {
                        errors.add("etl_runs." + names[i] + " = " + rs.getLong(i + 1) + ", expected " + want[i]);
                    }
                }
                if (!"success".equals(rs.getString(6))) {
                    errors.add("run status " + rs.getString(6));
                }
            }
            check(s, errors, "rejected_rows of the run", "SELECT count(*) FROM rejected_rows WHERE run_id = " + runId, want[4]);
            check(s, errors, "raw_csv_data of the run", "SELECT count(*) FROM raw_csv_data WHERE run_id = " + runId, want[6]);
            check(s, errors, "unified_records (products_csv)",
                    "SELECT count(*) FROM unified_records WHERE source = 'products_csv'", want[5]);
            check(s, errors, "source_stats (products_csv)",
                    "SELECT record_count FROM source_stats WHERE source = 'products_csv'", want[5]);
            check(s, errors, "unified_records last written by the run",
                    "SELECT count(*) FROM unified_records WHERE source = 'products_csv' AND last_run_id = " + runId,
                    want[1] + want[2]);
        }
        if (!errors.isEmpty()) {
            fail("COUNTS WRONG for run " + runId + ":\n  " + String.join("\n  ", errors));
        }
        System.out.println("verified_run=" + runId);
    }

    static void check(Statement s, List<String> errors, String what, String sql, long want) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            if (rs.getLong(1) != want) {
                errors.add(what + " = " + rs.getLong(1) + ", expected " + want);
            }
        }
    }

    // ---------------------------------------------------------------- peer and floor

    /**
     * The hand-written peer: what a user would write instead of the service. commons-csv parsing,
     * the same validation and content hash, one transaction per 1000 rows, JDBC batches with
     * reWriteBatchedInserts=true: raw rows plus an upsert of unified records, into tables shaped
     * like the service's (LIKE ... INCLUDING ALL: same columns, identity, indexes, unique key).
     */
    static void peer(Path file, Path warmUp) throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS bench_peer");
            s.execute("DROP TABLE IF EXISTS bench_peer.raw_csv_data, bench_peer.unified_records");
            s.execute("CREATE TABLE bench_peer.raw_csv_data (LIKE public.raw_csv_data INCLUDING ALL)");
            s.execute("CREATE TABLE bench_peer.unified_records (LIKE public.unified_records INCLUDING ALL)");
            s.execute("CHECKPOINT");
        }
        Properties props = credentials();
        props.setProperty("reWriteBatchedInserts", "true");
        long[] warm = {0, 0};
        double secs;
        long[] loaded;
        try (Connection c = DriverManager.getConnection(env("BENCH_DB_URL"), props)) {
            c.setAutoCommit(false);
            if (warmUp != null) {
                // The same warm-up as the service gets (its JIT compiles the hot code), untimed.
                warm = peerLoad(c, warmUp);
            }
            long t0 = System.nanoTime();
            loaded = peerLoad(c, file);
            secs = (System.nanoTime() - t0) / 1e9;
        }
        long rows = loaded[0];
        try (Connection c = connect(); Statement s = c.createStatement()) {
            List<String> errors = new ArrayList<>();
            check(s, errors, "peer raw rows", "SELECT count(*) FROM bench_peer.raw_csv_data", warm[0] + rows);
            check(s, errors, "peer unified rows", "SELECT count(*) FROM bench_peer.unified_records", warm[1] + loaded[1]);
            if (!errors.isEmpty()) {
                fail("PEER COUNTS WRONG: " + errors);
            }
        }
        System.out.println("peer_rows=" + rows);
        System.out.println("peer_secs=" + secs);
    }

    /** Loads one file the peer's way; returns {rows, valid rows}. */
    static long[] peerLoad(Connection c, Path file) throws Exception {
        long rows = 0;
        long valid = 0;
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(in)) {
            PreparedStatement raw = c.prepareStatement("INSERT INTO bench_peer.raw_csv_data"
                    + " (run_id, source, file_name, line_number, row_data) VALUES (?, ?, ?, ?, ?::jsonb)");
            PreparedStatement unified = c.prepareStatement("INSERT INTO bench_peer.unified_records AS u"
                    + " (source, external_id, name, category, value, attributes, content_hash, first_run_id, last_run_id)"
                    + " VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, 1, 1) ON CONFLICT (source, external_id) DO UPDATE"
                    + " SET name = EXCLUDED.name, category = EXCLUDED.category, value = EXCLUDED.value,"
                    + " attributes = EXCLUDED.attributes, content_hash = EXCLUDED.content_hash, updated_at = now()"
                    + " WHERE u.content_hash <> EXCLUDED.content_hash");
            List<String> header = parser.getHeaderNames();
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            int inBatch = 0;
            for (CSVRecord r : parser) {
                rows++;
                StringBuilder json = new StringBuilder("{");
                StringBuilder attrs = new StringBuilder("{");
                for (int i = 0; i < header.size(); i++) {
                    String kv = quote(header.get(i)) + ":" + quote(r.get(i));
                    json.append(i == 0 ? "" : ",").append(kv);
                    if (i >= 4) {
                        attrs.append(i == 4 ? "" : ",").append(kv);
                    }
                }
                raw.setLong(1, 1);
                raw.setString(2, "products_csv");
                raw.setString(3, file.getFileName().toString());
                raw.setLong(4, r.getRecordNumber() + 1);
                raw.setString(5, json.append('}').toString());
                raw.addBatch();
                BigDecimal price = decimal(r.get(3));
                if (!r.get(0).isBlank() && !r.get(1).isBlank() && !r.get(2).isBlank() && price != null && price.signum() > 0) {
                    valid++;
                    String a = attrs.append('}').toString();
                    String category = r.get(2).trim().toLowerCase();
                    byte[] h = sha.digest((r.get(1) + "\u0001" + category + "\u0001" + price.toPlainString() + "\u0001" + a)
                            .getBytes(StandardCharsets.UTF_8));
                    unified.setString(1, "products_csv");
                    unified.setString(2, r.get(0).trim());
                    unified.setString(3, r.get(1).trim());
                    unified.setString(4, category);
                    unified.setBigDecimal(5, price);
                    unified.setString(6, a);
                    unified.setString(7, HexFormat.of().formatHex(h));
                    unified.addBatch();
                }
                if (++inBatch == 1000) {
                    raw.executeBatch();
                    unified.executeBatch();
                    c.commit();
                    inBatch = 0;
                }
            }
            raw.executeBatch();
            unified.executeBatch();
            c.commit();
        }
        return new long[] {rows, valid};
    }

    static BigDecimal decimal(String s) {
        String t = s.trim();
        return t.matches("-?(\\d+(\\.\\d*)?|\\.\\d+)") ? new BigDecimal(t) : null;
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (ch < 0x20) {
                        b.append(String.format("\\u%04x", (int) ch));
                    } else {
                        b.append(ch);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** The floor: COPY of the file as it is into a plain, index-free table of text columns. */
    static void copyFloor(Path file) throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS bench_peer");
            s.execute("DROP TABLE IF EXISTS bench_peer.copy_floor");
            s.execute("CREATE TABLE bench_peer.copy_floor (product_id text, name text, category text, price text,"
                    + " brand text, color text, stock text)");
            s.execute("CHECKPOINT");
            long t0 = System.nanoTime();
            long rows;
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                rows = c.unwrap(PGConnection.class).getCopyAPI()
                        .copyIn("COPY bench_peer.copy_floor FROM STDIN WITH (FORMAT csv, HEADER true)", in);
            }
            System.out.println("copy_rows=" + rows);
            System.out.println("copy_secs=" + (System.nanoTime() - t0) / 1e9);
        }
    }

    // ---------------------------------------------------------------- misc

    static void sql(String text) throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            boolean rs = s.execute(text);
            if (rs) {
                try (ResultSet r = s.getResultSet()) {
                    while (r.next()) {
                        System.out.println(r.getString(1));
                    }
                }
            }
        }
    }

    /** Empties the service's tables (a scratch SPRING_DATASOURCE_URL only: the script asks first). */
    static void reset() throws Exception {
        sql("TRUNCATE unified_records, raw_csv_data, rejected_rows, ingestion_checkpoints, ingestion_lanes,"
                + " camel_messageprocessed, raw_api_data, schema_snapshots, etl_runs RESTART IDENTITY;"
                + " UPDATE source_stats SET record_count = 0; DROP SCHEMA IF EXISTS bench_peer CASCADE");
    }

    static void statsLatency(String url, int n) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).build();
        for (int i = 0; i < 20; i++) { // warm-up: JIT, connection
            client.send(req, HttpResponse.BodyHandlers.ofString());
        }
        long[] micros = new long[n];
        String body = "";
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());
            micros[i] = (System.nanoTime() - t0) / 1000;
            if (r.statusCode() != 200) {
                fail("GET " + url + " answered " + r.statusCode());
            }
            body = r.body();
        }
        Arrays.sort(micros);
        System.out.println("lat_median_ms=" + micros[n / 2] / 1000.0);
        System.out.println("lat_min_ms=" + micros[0] / 1000.0);
        System.out.println("lat_max_ms=" + micros[n - 1] / 1000.0);
        System.out.println("lat_body='" + body.replace("'", "") + "'");
    }

    /**
     * A fake CoinGecko. Serves {@code payload} on /coins/list. The first request gets it as it is; request n > 1 gets
     * every coin's name prefixed with "~n " (valid JSON, every record changed). After each response
     * has been sent, appends "n epochMillis" to {@code sentFile}.
     */
    static void fakeCoinGecko(int port, Path payload, Path sentFile) throws Exception {
        byte[] original = Files.readAllBytes(payload);
        String text = new String(original, StandardCharsets.UTF_8);
        int[] requests = {0};
        var server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", ex -> {
            if (!ex.getRequestURI().getPath().endsWith("/coins/list")) {
                ex.sendResponseHeaders(404, -1);
                ex.close();
                return;
            }
            int n;
            synchronized (requests) {
                n = ++requests[0];
            }
            byte[] body = n == 1 ? original
                    : text.replace("\"name\":\"", "\"name\":\"~" + n + " ").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            try (var out = ex.getResponseBody()) {
                out.write(body);
            }
            long sent = System.currentTimeMillis();
            synchronized (requests) {
                Files.writeString(sentFile, n + " " + sent + "\n", StandardCharsets.UTF_8,
                        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            }
        });
        server.start();
        System.err.println("fake CoinGecko on http://127.0.0.1:" + port + " serving " + payload);
        Thread.currentThread().join();
    }

    /** POST /runs/coingecko with the admin token: prints run_id= of the accepted poll. */
    static void triggerPoll(String baseUrl, String token) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/runs/coingecko"))
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        var m = java.util.regex.Pattern.compile("\"run_id\"\\s*:\\s*(\\d+)").matcher(response.body());
        if (response.statusCode() != 202 || !m.find()) {
            fail("POST /runs/coingecko: HTTP " + response.statusCode() + " " + response.body());
        }
        System.out.println("trigger_run_id=" + m.group(1));
    }

    static Connection connect() throws SQLException {
        return DriverManager.getConnection(env("BENCH_DB_URL"), credentials());
    }

    static Properties credentials() {
        Properties p = new Properties();
        p.setProperty("user", env("BENCH_DB_USER"));
        String password = System.getenv("BENCH_DB_PASSWORD");
        if (password != null) {
            p.setProperty("password", password);
        }
        return p;
    }

    static String env(String name) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException(name + " is not set");
        }
        return v;
    }

    static void fail(String message) {
        System.err.println("BENCH FAILURE: " + message);
        System.exit(1);
    }
}
