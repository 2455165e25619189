import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The Java half of scripts/chaos/soak.sh (which starts PostgreSQL, the replicas and the faults):
 * <ul>
 * <li>{@code fake CONTROL_DIR SEED} a fake CoinGecko {@code /coins/list} that now and then hangs,
 *     answers 429 (with Retry-After) or 500; once {@code CONTROL_DIR/calm} exists it answers every
 *     request with one frozen payload, whose generation it writes to {@code CONTROL_DIR/final-generation};</li>
 * <li>{@code drop INBOX LEDGER SEED STOP_FILE} drops files into the inbox without pause until
 *     STOP_FILE exists, and writes every file's expected outcome to LEDGER;</li>
 * <li>{@code settle JDBC_URL INBOX SECONDS} waits until no file is left in the inbox and no file run runs;</li>
 * <li>{@code coingecko-final JDBC_URL BASE_URL TOKEN SECONDS} a poll that starts after the fake calmed down, succeeded;</li>
 * <li>{@code check JDBC_URL INBOX LEDGER CONTROL_DIR KILLS RESTARTS} compares the database with the
 *     ledger and prints the summary line;</li>
 * <li>{@code free-port}: a TCP port nothing listens on now.</li>
 * <li>{@code wait-http URL SECONDS [PID]}: the URL answers 200 (while process PID lives).</li>
 * </ul>
 * Needs only the JDK and the PostgreSQL JDBC driver (taken from the packaged jar by the script).
 */
public final class Soak {

    static final String PRODUCTS = "products_csv";
    static final String VENDORS = "vendors_csv";
    static final String DB_USER = System.getenv().getOrDefault("SPRING_DATASOURCE_USERNAME", "postgres");
    static final String DB_PASSWORD = System.getenv().getOrDefault("SPRING_DATASOURCE_PASSWORD", "");

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "fake" -> FakeCoinGecko.run(Path.of(args[1]), Long.parseLong(args[2]));
            case "drop" -> new Dropper(Path.of(args[1]), Path.of(args[2]), Long.parseLong(args[3]),
                    Path.of(args[4])).run();
            case "settle" -> System.exit(settle(args[1], Path.of(args[2]), Integer.parseInt(args[3])) ? 0 : 1);
            case "coingecko-final" -> System.exit(coingeckoFinal(args[1], args[2], args[3],
                    Integer.parseInt(args[4])) ? 0 : 1);
            case "check" -> System.exit(new Checker(args[1], Path.of(args[2]), Path.of(args[3]), Path.of(args[4]),
                    Integer.parseInt(args[5]), Integer.parseInt(args[6])).run());
            case "free-port" -> {
                try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
                    System.out.println(socket.getLocalPort());
                }
            }
            case "wait-http" -> System.exit(waitHttp(args[1], Integer.parseInt(args[2]),
                    args.length > 3 ? ProcessHandle.of(Long.parseLong(args[3])) : java.util.Optional.empty()) ? 0 : 1);
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        }
    }

    static void log(String message) {
        System.err.printf("%tT soak: %s%n", System.currentTimeMillis(), message);
    }

    static Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, DB_USER, DB_PASSWORD);
    }

    /**
     * Visible inbox files: what the service still has to take (hidden temp names are the dropper's;
     * {@code .camelLock} files are the file component's read-lock markers).
     */
    static List<Path> pending(Path inbox) throws IOException {
        try (Stream<Path> files = Files.list(inbox)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> !p.getFileName().toString().endsWith(".camelLock")).sorted().toList();
        }
    }

    static List<Path> lockFiles(Path inbox) throws IOException {
        try (Stream<Path> files = Files.list(inbox)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".camelLock")).sorted().toList();
        }
    }

    /** Until the URL answers 200, or the process that should answer it has ended. */
    static boolean waitHttp(String url, int seconds, java.util.Optional<ProcessHandle> server)
            throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        long until = System.currentTimeMillis() + seconds * 1000L;
        while (System.currentTimeMillis() < until) {
            if (server.isPresent() && !server.get().isAlive()) {
                return false;
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return true;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(500);
        }
        return false;
    }

    // ------------------------------------------------------------------ the end of the soak

    /** No visible file in the inbox and no file run running, seen twice in a row two seconds apart. */
    static boolean settle(String url, Path inbox, int seconds) throws Exception {
        long until = System.currentTimeMillis() + seconds * 1000L;
        int quiet = 0;
        String last = "";
        while (System.currentTimeMillis() < until) {
            int files = pending(inbox).size();
            long running = -1;
            try (Connection db = connect(url);
                 PreparedStatement st = db.prepareStatement(
                         "SELECT count(*) FROM etl_runs WHERE status = 'running' AND trigger = 'file'");
                 ResultSet rs = st.executeQuery()) {
                rs.next();
                running = rs.getLong(1);
            } catch (SQLException e) {
                // the database is still recovering
            }
            String now = files + " file(s) in the inbox, " + running + " file run(s) running";
            if (!now.equals(last)) {
                log("settling: " + now);
                last = now;
            }
            quiet = files == 0 && running == 0 ? quiet + 1 : 0;
            if (quiet >= 2) {
                return true;
            }
            Thread.sleep(2000);
        }
        log("not settled within " + seconds + " s: " + last);
        return false;
    }

    /**
     * The fake is calm (no faults, one frozen payload): asks for a poll until one that started after
     * this moment has succeeded, so the CoinGecko records must be exactly the frozen payload.
     */
    static boolean coingeckoFinal(String url, String baseUrl, String token, int seconds) throws Exception {
        Timestamp calmSince;
        try (Connection db = connect(url); PreparedStatement st = db.prepareStatement("SELECT now()");
             ResultSet rs = st.executeQuery()) {
            rs.next();
            calmSince = rs.getTimestamp(1);
        }
        HttpClient http = HttpClient.newHttpClient();
        long until = System.currentTimeMillis() + seconds * 1000L;
        long nextTrigger = 0;
        while (System.currentTimeMillis() < until) {
            if (System.currentTimeMillis() >= nextTrigger) {
                // A trigger while a poll runs is skipped (polls never overlap): ask again later.
                int status = http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/runs/coingecko"))
                        .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody())
                        .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                log("final CoinGecko poll requested: " + status);
                nextTrigger = System.currentTimeMillis() + 30_000;
            }
            try (Connection db = connect(url); PreparedStatement st = db.prepareStatement(
                    "SELECT count(*) FROM etl_runs WHERE source = 'coingecko_api' AND status = 'success' "
                            + "AND started_at > ?")) {
                st.setTimestamp(1, calmSince);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        return true;
                    }
                }
            }
            Thread.sleep(1000);
        }
        log("no successful CoinGecko poll within " + seconds + " s of the fake calming down");
        return false;
    }

    // ------------------------------------------------------------------ the fake CoinGecko

    static final class FakeCoinGecko {

        static void run(Path control, long seed) throws IOException {
            long started = System.currentTimeMillis();
            AtomicLong requests = new AtomicLong();
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
            server.setExecutor(Executors.newCachedThreadPool());
            server.createContext("/api/v3/coins/list", exchange -> {
                long n = requests.incrementAndGet();
                try {
                    Path calm = control.resolve("calm");
                    int generation;
                    if (Files.exists(calm)) {
                        generation = frozenGeneration(control, started);
                    } else {
                        generation = (int) ((System.currentTimeMillis() - started) / 60_000);
                        Random random = new Random(seed * 1_000_003L + n);
                        int fault = random.nextInt(100);
                        if (fault < 10) {
                            // Hangs past the service's time-out, then gives up without an answer.
                            sleep(12_000);
                            return;
                        } else if (fault < 25) {
                            exchange.getResponseHeaders().set("Retry-After", "1");
                            send(exchange, 429, "{\"status\":{\"error_code\":429}}");
                            return;
                        } else if (fault < 35) {
                            send(exchange, 500, "oops");
                            return;
                        }
                    }
                    send(exchange, 200, payload(generation));
                } finally {
                    exchange.close();
                }
            });
            server.start();
            Files.writeString(control.resolve("port"), Integer.toString(server.getAddress().getPort()));
            log("fake CoinGecko on port " + server.getAddress().getPort());
        }

        static synchronized int frozenGeneration(Path control, long started) throws IOException {
            Path file = control.resolve("final-generation");
            if (!Files.exists(file)) {
                Files.writeString(file, Long.toString((System.currentTimeMillis() - started) / 60_000));
            }
            return Integer.parseInt(Files.readString(file).trim());
        }

        /** Coins 0..count(g): the list grows with the generation and the names change every other one. */
        static String payload(int generation) {
            StringBuilder json = new StringBuilder("[");
            for (int i = 0; i < coinCount(generation); i++) {
                json.append(i == 0 ? "" : ",").append("{\"id\":\"").append(coinId(i)).append("\",\"symbol\":\"")
                        .append(coinSymbol(i)).append("\",\"name\":\"").append(coinName(i, generation)).append('"');
                if (generation % 3 == 2) {
                    json.append(",\"platforms\":{}"); // a structural change now and then: schema drift
                }
                json.append('}');
            }
            return json.append(",{\"symbol\":\"noid\",\"name\":\"no id: a rejected row\"}]").toString();
        }

        static int coinCount(int generation) {
            return 500 + 50 * Math.min(generation, 100);
        }

        static String coinId(int i) {
            return "coin-" + i;
        }

        static String coinSymbol(int i) {
            return "c" + (i % 50);
        }

        static String coinName(int i, int generation) {
            return "Coin " + i + " v" + generation / 2;
        }

        static void send(HttpExchange exchange, int status, String body) throws IOException {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }

        static void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ------------------------------------------------------------------ the ledger

    /**
     * One line per drop, followed by its rows:
     * {@code F seq name source kind rows sha256 original} (kind: new, redrop, error),
     * {@code V line key name category value note} for a row expected to land,
     * {@code X line} for a row expected to be rejected. Fields are tab-separated, escaped.
     */
    record Row(long line, String key, String name, String category, String value, String note) {
    }

    static String escape(String s) {
        if (s == null) {
            return "\\N";
        }
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    static String unescape(String s) {
        if (s.equals("\\N")) {
            return null;
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char next = s.charAt(++i);
                out.append(switch (next) {
                    case 't' -> '\t';
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    default -> next;
                });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    // ------------------------------------------------------------------ dropping files

    static final class Dropper {

        static final String[] CATEGORIES = {"Electronics", "FURNITURE", "toys", "Garden", " Office "};
        static final String[] VALUES = {"10", "10.50", "99.99", "1299", "0.01", "250.5", "7"};
        static final int MAX_PENDING_FILES = 8;
        static final long MAX_PENDING_BYTES = 4_000_000;

        final Path inbox;
        final Path ledgerPath;
        final Path stop;
        final Random random;
        /** The last content the ledger expects per key, to write unchanged rows too. */
        final Map<String, Map<String, Row>> current = Map.of(PRODUCTS, new HashMap<>(), VENDORS, new HashMap<>());
        final Map<String, List<String>> keys = Map.of(PRODUCTS, new ArrayList<>(), VENDORS, new ArrayList<>());
        /** Recent droppable files for identical re-drops: bytes and ledger text. */
        final List<Dropped> recent = new ArrayList<>();
        long files;
        long rows;

        record Dropped(long seq, String source, byte[] bytes, String rowsLedger, long rows, String suffix) {
        }

        Dropper(Path inbox, Path ledger, long seed, Path stop) {
            this.inbox = inbox;
            this.ledgerPath = ledger;
            this.stop = stop;
            this.random = new Random(seed);
        }

        void run() throws Exception {
            try (BufferedWriter ledger = Files.newBufferedWriter(ledgerPath, StandardCharsets.UTF_8)) {
                for (long seq = 1; !Files.exists(stop); seq++) {
                    waitForRoom();
                    if (Files.exists(stop)) {
                        break;
                    }
                    dropOne(seq, ledger);
                    ledger.flush();
                }
            }
            System.out.println("files=" + files);
            System.out.println("rows=" + rows);
        }

        /** Without pause, but with a bounded backlog: the end of the soak waits for the inbox to drain. */
        void waitForRoom() throws IOException, InterruptedException {
            while (!Files.exists(stop)) {
                List<Path> pending = pending(inbox);
                long bytes = 0;
                for (Path p : pending) {
                    try {
                        bytes += Files.size(p);
                    } catch (IOException e) {
                        // taken meanwhile
                    }
                }
                if (pending.size() < MAX_PENDING_FILES && bytes < MAX_PENDING_BYTES) {
                    return;
                }
                Thread.sleep(200);
            }
        }

        void dropOne(long seq, BufferedWriter ledger) throws Exception {
            int kind = random.nextInt(100);
            if (kind < 4) {
                dropErrorFile(seq, ledger);
            } else if (kind < 14 && !recent.isEmpty()) {
                Dropped original = recent.get(random.nextInt(recent.size()));
                String name = prefix(original.source()) + "-" + pad(seq) + "-redrop-of-" + pad(original.seq())
                        + original.suffix();
                write(name, original.bytes());
                ledger.write(fileLine(seq, name, original.source(), "redrop", original.rows(), original.bytes(),
                        original.seq()));
                ledger.write(original.rowsLedger());
                replay(original.source(), original.rowsLedger());
                files++;
                rows += original.rows();
            } else {
                dropNewFile(seq, ledger);
            }
        }

        void dropErrorFile(long seq, BufferedWriter ledger) throws IOException {
            String name;
            String content;
            switch (random.nextInt(3)) {
                case 0 -> { // a required column missing
                    name = "products-" + pad(seq) + "-no-price.csv";
                    content = "product_id,name,category\nE" + seq + ",Nameless,Cat\n";
                }
                case 1 -> { // a name of no source
                    name = "orders-" + pad(seq) + ".csv";
                    content = "order_id,total\n1,2\n";
                }
                default -> { // empty
                    name = "vendors-" + pad(seq) + "-empty.csv";
                    content = "";
                }
            }
            byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
            write(name, bytes);
            ledger.write(fileLine(seq, name, "error", "error", 0, bytes, 0));
            files++;
        }

        void dropNewFile(long seq, BufferedWriter ledger) throws IOException {
            String source = random.nextBoolean() ? PRODUCTS : VENDORS;
            int size = random.nextInt(100);
            int n = size < 60 ? 1 + random.nextInt(50) : size < 92 ? 100 + random.nextInt(2000)
                    : 5_000 + random.nextInt(15_000);
            boolean note = random.nextInt(4) == 0;
            List<String> columns = new ArrayList<>(source.equals(PRODUCTS)
                    ? List.of("product_id", "name", "category", "price")
                    : List.of("vendor_id", "product_name", "group", "amount"));
            if (note) {
                columns.add("note");
            }
            if (random.nextInt(4) == 0) {
                Collections.shuffle(columns, random);
            }
            String eol = random.nextInt(5) == 0 ? "\r\n" : "\n";
            StringBuilder csv = new StringBuilder(n * 48);
            if (random.nextInt(10) == 0) {
                csv.append('\uFEFF');
            }
            List<String> header = new ArrayList<>();
            for (String c : columns) {
                header.add(random.nextInt(10) == 0 ? " " + c.toUpperCase(Locale.ROOT) + " " : c);
            }
            csv.append(String.join(",", header)).append(eol);
            StringBuilder rowsLedger = new StringBuilder();
            long line = 2;
            Map<String, Row> state = current.get(source);
            List<String> known = keys.get(source);
            for (int i = 0; i < n; i++) {
                String key = known.isEmpty() || random.nextInt(3) == 0
                        ? (source.equals(PRODUCTS) ? "P" : "V") + random.nextInt(source.equals(PRODUCTS) ? 12_000 : 6_000)
                        : known.get(random.nextInt(known.size()));
                Row previous = state.get(key);
                String noteValue = note ? "n" + random.nextInt(3) : null;
                String name;
                String category;
                String value;
                if (previous != null && random.nextInt(4) == 0 && Objects.equals(previous.note(), noteValue)) {
                    name = previous.name(); // unchanged content
                    category = previous.category();
                    value = previous.value();
                } else {
                    name = "Item " + key + " " + random.nextInt(3);
                    category = CATEGORIES[random.nextInt(CATEGORIES.length)];
                    value = VALUES[random.nextInt(VALUES.length)];
                    int shape = random.nextInt(100);
                    if (shape < 3) {
                        name = name + ", with a comma";
                    } else if (shape < 5) {
                        name = name + eol + "second line"; // a quoted newline: the row spans two lines
                    }
                }
                String nameField = name.contains(",") || name.contains("\n") ? "\"" + name + "\""
                        : random.nextInt(40) == 0 ? "  " + name + " " : name;
                String categoryField = category;
                String valueField = value;
                String idField = key;
                String extra = null;
                int defect = random.nextInt(100);
                boolean rejected = defect < 8;
                if (rejected) {
                    switch (defect) {
                        case 0 -> idField = "";
                        case 1 -> nameField = " ";
                        case 2 -> categoryField = "";
                        case 3 -> valueField = "abc";
                        case 4 -> valueField = random.nextBoolean() ? "-5" : "0";
                        case 5 -> nameField = "Nul\u0000Name";
                        case 6 -> categoryField = "Ctl\u0001Cat";
                        default -> extra = "one field too many";
                    }
                }
                int physicalLines = 1 + (int) nameField.chars().filter(c -> c == '\n').count();
                List<String> values = new ArrayList<>();
                for (String c : columns) {
                    values.add(switch (c) {
                        case "product_id", "vendor_id" -> idField;
                        case "name", "product_name" -> nameField;
                        case "category", "group" -> categoryField;
                        case "price", "amount" -> valueField;
                        default -> noteValue;
                    });
                }
                if (extra != null) {
                    values.add(extra);
                }
                csv.append(String.join(",", values)).append(eol);
                if (rejected) {
                    rowsLedger.append("X\t").append(line).append('\n');
                } else {
                    Row row = new Row(line, key, name.trim(), category.trim().toLowerCase(Locale.ROOT), value,
                            noteValue);
                    rowsLedger.append(rowLine(row));
                    if (state.put(key, row) == null) {
                        known.add(key);
                    }
                }
                line += physicalLines;
            }
            byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
            String suffix = random.nextInt(20) == 0 ? ".CSV" : ".csv";
            String name = prefix(source) + "-" + pad(seq) + suffix;
            write(name, bytes);
            ledger.write(fileLine(seq, name, source, "new", n, bytes, 0));
            ledger.write(rowsLedger.toString());
            files++;
            rows += n;
            if (bytes.length < 2_000_000) {
                recent.add(new Dropped(seq, source, bytes, rowsLedger.toString(), n, suffix));
                if (recent.size() > 40) {
                    recent.remove(random.nextInt(recent.size()));
                }
            }
        }

        /** A re-drop applies its rows again (a later drop wins): the generator's view follows. */
        void replay(String source, String rowsLedger) {
            for (String l : rowsLedger.split("\n")) {
                String[] f = l.split("\t", -1);
                if (f[0].equals("V")) {
                    Row r = parseRow(f);
                    if (current.get(source).put(r.key(), r) == null) {
                        keys.get(source).add(r.key());
                    }
                }
            }
        }

        void write(String name, byte[] bytes) throws IOException {
            // The contract's way to drop: a hidden temporary name, then a rename.
            Path temp = inbox.resolve("." + name + ".part");
            Files.write(temp, bytes);
            Files.move(temp, inbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        }

        static String prefix(String source) {
            return source.equals(PRODUCTS) ? "products" : "vendors";
        }

        static String pad(long seq) {
            return String.format("%06d", seq);
        }

        static String fileLine(long seq, String name, String source, String kind, long rows, byte[] bytes,
                               long original) {
            return "F\t" + seq + "\t" + name + "\t" + source + "\t" + kind + "\t" + rows + "\t" + sha256(bytes)
                    + "\t" + original + "\n";
        }

        static String rowLine(Row r) {
            return "V\t" + r.line() + "\t" + escape(r.key()) + "\t" + escape(r.name()) + "\t" + escape(r.category())
                    + "\t" + r.value() + "\t" + escape(r.note()) + "\n";
        }

        static String sha256(byte[] bytes) {
            try {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static Row parseRow(String[] f) {
        return new Row(Long.parseLong(f[1]), unescape(f[2]), unescape(f[3]), unescape(f[4]), f[5], unescape(f[6]));
    }

    // ------------------------------------------------------------------ the check

    static final class Checker {

        record Drop(long seq, String name, String source, String kind, long rows, String sha256, long original,
                    List<Long> valid, List<Long> rejected) {
        }

        record Actual(String name, String category, BigDecimal value, String note, int attributeCount) {

            boolean holds(Row want) {
                return Objects.equals(want.name(), name) && Objects.equals(want.category(), category)
                        && value != null && new BigDecimal(want.value()).compareTo(value) == 0
                        && Objects.equals(want.note(), note) && attributeCount == (want.note() == null ? 0 : 1);
            }
        }

        /** An earlier content of a key: the drop that held it. */
        record Candidate(long seq, Row row) {
        }

        /** How many earlier contents of a key are kept, to name the drop a stale record holds. */
        static final int MAX_EARLIER = 64;

        final String url;
        final Path inbox;
        final Path ledger;
        final Path control;
        final int kills;
        final int restarts;
        long lost;
        long duplicated;
        final List<String> failures = new ArrayList<>();

        Checker(String url, Path inbox, Path ledger, Path control, int kills, int restarts) {
            this.url = url;
            this.inbox = inbox;
            this.ledger = ledger;
            this.control = control;
            this.kills = kills;
            this.restarts = restarts;
        }

        int run() throws Exception {
            List<Drop> drops = new ArrayList<>();
            // The expected end state: every key with the content of its last drop (the last file to
            // arrive in the inbox wins, whichever replica loads it and when; within a file, the last
            // row of a key).
            Map<String, Map<String, Row>> expected = Map.of(PRODUCTS, new HashMap<>(), VENDORS, new HashMap<>());
            Map<String, Map<String, Long>> lastDropOf = Map.of(PRODUCTS, new HashMap<>(), VENDORS, new HashMap<>());
            // The earlier contents of each key, newest last: a record holding one is named with its drop.
            Map<String, Map<String, List<Candidate>>> earlier = Map.of(PRODUCTS, new HashMap<>(), VENDORS, new HashMap<>());
            long rows = 0;
            try (BufferedReader in = Files.newBufferedReader(ledger, StandardCharsets.UTF_8)) {
                Drop drop = null;
                for (String line; (line = in.readLine()) != null; ) {
                    String[] f = line.split("\t", -1);
                    switch (f[0]) {
                        case "F" -> {
                            drop = new Drop(Long.parseLong(f[1]), f[2], f[3], f[4], Long.parseLong(f[5]), f[6],
                                    Long.parseLong(f[7]), new ArrayList<>(), new ArrayList<>());
                            drops.add(drop);
                            rows += drop.rows();
                        }
                        case "V" -> {
                            Row r = parseRow(f);
                            drop.valid().add(r.line());
                            Row before = expected.get(drop.source()).put(r.key(), r);
                            Long beforeSeq = lastDropOf.get(drop.source()).get(r.key());
                            if (before != null && beforeSeq != drop.seq()) {
                                List<Candidate> list = earlier.get(drop.source()).computeIfAbsent(r.key(), k -> new ArrayList<>());
                                list.add(new Candidate(beforeSeq, before));
                                if (list.size() > MAX_EARLIER) {
                                    list.remove(0);
                                }
                            }
                            lastDropOf.get(drop.source()).put(r.key(), drop.seq());
                        }
                        case "X" -> drop.rejected().add(Long.parseLong(f[1]));
                        default -> throw new IllegalStateException("ledger line " + line);
                    }
                }
            }
            try (Connection db = connect(url)) {
                checkRecords(db, expected, lastDropOf, earlier);
                checkFiles(db, drops);
                checkCoinGecko(db);
                long running = count(db, "SELECT count(*) FROM etl_runs WHERE status = 'running'");
                if (running > 0) {
                    failures.add(running + " run(s) still running");
                }
            }
            List<Path> left = pending(inbox);
            if (!left.isEmpty()) {
                failures.add(left.size() + " file(s) left in the inbox: " + left.stream().limit(5)
                        .map(p -> p.getFileName().toString()).toList());
            }
            List<Path> locks = lockFiles(inbox);
            if (!locks.isEmpty()) {
                log("note: " + locks.size() + " read-lock marker(s) left in the inbox, e.g. "
                        + locks.get(0).getFileName());
            }
            for (String failure : failures) {
                log("FAILED: " + failure);
            }
            System.out.printf("soak: %d files, %d rows, %d kills, %d database restarts, %d lost, %d duplicated%n",
                    drops.size(), rows, kills, restarts, lost, duplicated);
            return lost == 0 && duplicated == 0 && failures.isEmpty() ? 0 : 1;
        }

        void checkRecords(Connection db, Map<String, Map<String, Row>> expected,
                          Map<String, Map<String, Long>> lastDropOf, Map<String, Map<String, List<Candidate>>> earlier)
                throws SQLException {
            for (String source : List.of(PRODUCTS, VENDORS)) {
                Map<String, Actual> actual = new HashMap<>();
                try (PreparedStatement st = db.prepareStatement("SELECT external_id, name, category, value, "
                        + "attributes->>'note', (SELECT count(*) FROM jsonb_object_keys(attributes)) "
                        + "FROM unified_records WHERE source = ?")) {
                    st.setString(1, source);
                    try (ResultSet rs = st.executeQuery()) {
                        while (rs.next()) {
                            actual.put(rs.getString(1), new Actual(rs.getString(2), rs.getString(3),
                                    rs.getBigDecimal(4), rs.getString(5), rs.getInt(6)));
                        }
                    }
                }
                int missing = 0;
                int stale = 0;
                for (Map.Entry<String, Row> e : expected.get(source).entrySet()) {
                    Row want = e.getValue();
                    Actual got = actual.remove(e.getKey());
                    if (got == null) {
                        missing++;
                        report(missing, source + " record " + e.getKey() + " is missing (last dropped in file #"
                                + lastDropOf.get(source).get(e.getKey()) + ")");
                    } else if (!got.holds(want)) {
                        stale++;
                        report(stale, source + " record " + e.getKey() + " holds " + got + heldBy(got,
                                earlier.get(source).getOrDefault(e.getKey(), List.of())) + ", not the content of "
                                + "its last drop (file #" + lastDropOf.get(source).get(e.getKey()) + ", line "
                                + want.line() + "): " + want);
                    }
                }
                lost += missing + stale;
                if (!actual.isEmpty()) {
                    failures.add(actual.size() + " " + source + " record(s) that no drop holds, e.g. "
                            + actual.keySet().stream().limit(5).toList());
                }
                log(source + ": " + expected.get(source).size() + " records expected, " + missing + " missing, "
                        + stale + " with an older content");
            }
        }

        /** The earlier drop whose content a stale record holds, if one of the last few does. */
        static String heldBy(Actual got, List<Candidate> earlier) {
            for (int i = earlier.size() - 1; i >= 0; i--) {
                if (got.holds(earlier.get(i).row())) {
                    return " (the content of file #" + earlier.get(i).seq() + ")";
                }
            }
            return "";
        }

        void checkFiles(Connection db, List<Drop> drops) throws SQLException, IOException {
            // Every run of a drop (its name is unique): interrupted ones, resumed ones and the last.
            Map<String, List<String>> runsOf = new HashMap<>();
            // A drop is applied when one of its runs read it (whatever became of that run); it is
            // skipped when its only run recognised the content as loaded. A run that completed but
            // whose file a kill kept from .done/ is followed by such a skipping run: still applied.
            Map<String, Boolean> applied = new HashMap<>();
            try (PreparedStatement st = db.prepareStatement(
                    "SELECT file_name, status, coalesce(note, '') FROM etl_runs WHERE trigger = 'file' ORDER BY id");
                 ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    runsOf.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
                    boolean skipping = rs.getString(3).startsWith("identical content");
                    applied.merge(rs.getString(1), !skipping, Boolean::logicalOr);
                }
            }
            Map<String, Map<Long, Integer>> rejected = linesPerFile(db,
                    "SELECT file_name, line_number, count(*) FROM rejected_rows GROUP BY 1, 2");
            Map<String, Map<Long, Integer>> raw = linesPerFile(db,
                    "SELECT file_name, line_number, count(*) FROM raw_csv_data GROUP BY 1, 2");
            Path done = inbox.resolve(".done");
            Path error = inbox.resolve(".error");
            int appliedDrops = 0;
            int duplicates = 0;
            for (Drop drop : drops) {
                List<String> runs = runsOf.getOrDefault(drop.name(), List.of());
                if (drop.kind().equals("error")) {
                    if (!Files.exists(error.resolve(drop.name())) || !runs.contains("failed")) {
                        failures.add(drop.name() + " should be in .error/ with a failed run: runs " + runs);
                    }
                    continue;
                }
                if (!Files.exists(done.resolve(drop.name())) || !runs.contains("success")) {
                    failures.add(drop.name() + " should be in .done/ with a successful run: runs " + runs
                            + (Files.exists(error.resolve(drop.name())) ? " (it is in .error/)" : ""));
                }
                Map<Long, Integer> rejectedLines = rejected.getOrDefault(drop.name(), Map.of());
                Map<Long, Integer> rawLines = raw.getOrDefault(drop.name(), Map.of());
                if (!applied.getOrDefault(drop.name(), true)) {
                    // Recognised as content already loaded: nothing of it is written again.
                    duplicates++;
                    for (int n : rejectedLines.values()) {
                        duplicated += n;
                    }
                    for (int n : rawLines.values()) {
                        duplicated += n;
                    }
                    if (!rejectedLines.isEmpty() || !rawLines.isEmpty()) {
                        report(1, drop.name() + " was skipped as identical content, yet its runs stored "
                                + rawLines.size() + " raw and " + rejectedLines.size() + " rejected line(s)");
                    }
                    continue;
                }
                // Applied (first drop, or a re-drop after records changed): every rejected row exactly once
                // over all its runs (an interrupted run and the run resuming it share the lines), and
                // every row's raw copy exactly once.
                appliedDrops++;
                compareLines(drop, "rejected", drop.rejected(), rejectedLines);
                List<Long> all = new ArrayList<>(drop.valid());
                all.addAll(drop.rejected());
                compareLines(drop, "raw", all, rawLines);
            }
            log(drops.size() + " files: " + appliedDrops + " applied, " + duplicates + " skipped as identical content");
        }

        void compareLines(Drop drop, String what, List<Long> expectedLines, Map<Long, Integer> actual) {
            Map<Long, Integer> left = new HashMap<>(actual);
            for (long line : expectedLines) {
                Integer n = left.remove(line);
                if (n == null) {
                    lost++;
                    report((int) lost, drop.name() + ": " + what + " row of line " + line + " is missing");
                } else if (n > 1) {
                    duplicated += n - 1;
                    report((int) duplicated, drop.name() + ": " + what + " row of line " + line + " stored " + n
                            + " times");
                }
            }
            if (!left.isEmpty()) {
                failures.add(drop.name() + ": unexpected " + what + " line(s) " + new TreeMap<>(left).keySet());
            }
        }

        void checkCoinGecko(Connection db) throws SQLException, IOException {
            Path file = control.resolve("final-generation");
            if (!Files.exists(file)) {
                failures.add("the fake CoinGecko never served its final payload");
                return;
            }
            int generation = Integer.parseInt(Files.readString(file).trim());
            Map<String, String[]> actual = new HashMap<>();
            try (PreparedStatement st = db.prepareStatement(
                    "SELECT external_id, name, category FROM unified_records WHERE source = 'coingecko_api'");
                 ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    actual.put(rs.getString(1), new String[] {rs.getString(2), rs.getString(3)});
                }
            }
            int missing = 0;
            int stale = 0;
            for (int i = 0; i < FakeCoinGecko.coinCount(generation); i++) {
                String[] got = actual.remove(FakeCoinGecko.coinId(i));
                if (got == null) {
                    missing++;
                } else if (!FakeCoinGecko.coinName(i, generation).equals(got[0])
                        || !FakeCoinGecko.coinSymbol(i).equals(got[1])) {
                    stale++;
                    report(stale, "coin " + i + " holds " + List.of(got) + ", not its final content");
                }
            }
            lost += missing + stale;
            if (!actual.isEmpty()) {
                failures.add(actual.size() + " coingecko_api record(s) the fake never served");
            }
            log("coingecko_api: " + FakeCoinGecko.coinCount(generation) + " coins expected (generation "
                    + generation + "), " + missing + " missing, " + stale + " with an older content");
        }

        static Map<String, Map<Long, Integer>> linesPerFile(Connection db, String sql) throws SQLException {
            Map<String, Map<Long, Integer>> lines = new HashMap<>();
            try (PreparedStatement st = db.prepareStatement(sql)) {
                st.setFetchSize(10_000);
                db.setAutoCommit(false); // a cursor, not the whole result in memory
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        lines.computeIfAbsent(rs.getString(1), k -> new HashMap<>()).put(rs.getLong(2), rs.getInt(3));
                    }
                }
                db.setAutoCommit(true);
            }
            return lines;
        }

        static long count(Connection db, String sql) throws SQLException {
            try (PreparedStatement st = db.prepareStatement(sql); ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }

        /** The first few findings of a kind, in detail; the counts tell the rest. */
        static void report(int nth, String finding) {
            if (nth <= 10) {
                log(finding);
            }
        }
    }
}
