package com.kasparro.etl.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Duration;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/** COPY rows streamed to a real PostgreSQL: exact text after escaping, many chunks, and no half batch. */
class CopyTextTest {

    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    @BeforeEach
    void table() throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS t; CREATE TABLE t (n bigint, v text)");
        }
    }

    @Test
    void rowsArriveExactlyAsWrittenAfterEscaping() throws Exception {
        List<String> values = List.of("plain", "tab\there", "line\nbreak", "cr\rhere", "back\\slash", "ünïcødé €", "");
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            try (CopyText copy = CopyText.start(c.unwrap(PGConnection.class), "COPY t (n, v) FROM STDIN")) {
                for (int i = 0; i < values.size(); i++) {
                    copy.add(i).add(values.get(i)).endRow();
                }
                copy.add(99).add(null).endRow();
                copy.add(100).add("nul\0byte").endRow();
                copy.finish();
            }
            List<String> stored = texts(c, "SELECT v FROM t WHERE n < 99 ORDER BY n");
            assertThat(stored).containsExactlyElementsOf(values);
            assertThat(texts(c, "SELECT coalesce(v, 'NULL') FROM t WHERE n = 99")).containsExactly("NULL");
            // PostgreSQL text cannot hold NUL: it is replaced, the rest kept.
            assertThat(texts(c, "SELECT v FROM t WHERE n = 100")).containsExactly("nul\uFFFDbyte");
        }
    }

    @Test
    void columnsSharedByEveryRowAreEscapedOnceAndArriveExactly() throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS w; CREATE TABLE w (run bigint, file text, n bigint, v text)");
            String shared = CopyText.columns(42L, "odd\tname\\with\nbreaks.csv");
            try (CopyText copy = CopyText.start(c.unwrap(PGConnection.class), "COPY w (run, file, n, v) FROM STDIN")) {
                copy.addColumns(shared).add(1).add("a").endRow();
                copy.addColumns(shared).add(2).add(null).endRow();
                copy.finish();
            }
            assertThat(texts(c, "SELECT run || '|' || file || '|' || n || '|' || coalesce(v, 'NULL') FROM w ORDER BY n"))
                    .containsExactly("42|odd\tname\\with\nbreaks.csv|1|a", "42|odd\tname\\with\nbreaks.csv|2|NULL");
        }
    }

    @Test
    void aBatchLargerThanOneChunkArrivesWhole() throws Exception {
        String wide = "x".repeat(1000);
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            try (CopyText copy = CopyText.start(c.unwrap(PGConnection.class), "COPY t (n, v) FROM STDIN")) {
                for (int i = 0; i < 5000; i++) { // about 5 MB: many 64 KiB chunks
                    copy.add(i).add(wide).endRow();
                }
                copy.finish();
            }
            assertThat(texts(c, "SELECT count(*) || ':' || sum(length(v)) || ':' || max(n) FROM t"))
                    .containsExactly("5000:5000000:4999");
        }
    }

    @Test
    void anUnfinishedCopyIsCancelledNotCommittedInPart() throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            c.setAutoCommit(true);
            assertThatThrownBy(() -> {
                try (CopyText copy = CopyText.start(c.unwrap(PGConnection.class), "COPY t (n, v) FROM STDIN")) {
                    for (int i = 0; i < 20_000; i++) { // past the first chunks, which have already been sent
                        copy.add(i).add("row " + i).endRow();
                    }
                    throw new IllegalStateException("failed while writing the batch");
                }
            }).hasMessage("failed while writing the batch");
            assertThat(texts(c, "SELECT count(*)::text FROM t")).containsExactly("0");
        }
    }

    @Test
    void aCopyWhoseServerDiesDoesNotLeaveTheConnectionLocked() throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
             Connection admin = postgres.getPostgresDatabase().getConnection()) {
            c.setAutoCommit(false);
            String pid = texts(c, "SELECT pg_backend_pid()::text").get(0);
            assertThatThrownBy(() -> {
                try (CopyText copy = CopyText.start(c.unwrap(PGConnection.class), "COPY t (n, v) FROM STDIN")) {
                    for (int i = 0; i < 20_000; i++) {
                        copy.add(i).add("row " + i).endRow();
                    }
                    try (Statement s = admin.createStatement()) {
                        s.execute("SELECT pg_terminate_backend(" + pid + ")"); // the server side dies mid-COPY
                    }
                    copy.finish();
                }
            }).isInstanceOfAny(SQLException.class, java.io.IOException.class);
            // What the transaction manager does next. Before the fix it waited for ever on the
            // driver's lock, still held by the broken COPY.
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                try {
                    c.rollback();
                } catch (SQLException expected) {
                    // the connection is broken: failing is fine, hanging is not
                }
            });
        }
    }

    private static List<String> texts(Connection c, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
