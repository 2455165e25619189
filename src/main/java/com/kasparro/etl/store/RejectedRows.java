package com.kasparro.etl.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Rejected rows read back to be loaded again (a replay): which runs hold unresolved rows, with the
 * header their file had, and those rows' exact text. Marking them resolved is the batch's own
 * statement ({@link BatchWriter}), in the transaction of their upsert.
 */
@Repository
public class RejectedRows {

    private static final String RUNS = SqlFiles.load("replay-runs.sql");
    private static final String ROWS = SqlFiles.load("replay-rows.sql");
    private static final String RUN = SqlFiles.load("run-find-header.sql");

    private final NamedParameterJdbcTemplate jdbc;

    public RejectedRows(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A run whose rejected rows can be read again under {@code headerLine} (null: no header kept). */
    public record Run(long id, String source, String fileName, String headerLine) {
    }

    /** A rejected row: the line it started on in its input, and its exact text. */
    public record Row(long line, String rawText) {
    }

    public Optional<Run> run(long runId) {
        return jdbc.query(RUN, Map.of("runId", runId), (rs, i) -> new Run(rs.getLong("id"), rs.getString("source"),
                rs.getString("file_name"), rs.getString("header_line"))).stream().findFirst();
    }

    /** The runs of {@code source} (only {@code runId}, unless null) with unresolved rows, oldest first. */
    public List<Run> runsToReplay(String source, Long runId) {
        Map<String, Object> p = new java.util.HashMap<>();
        p.put("source", source);
        p.put("runId", runId);
        return jdbc.query(RUNS, p, (rs, i) -> new Run(rs.getLong("id"), source, rs.getString("file_name"),
                rs.getString("header_line")));
    }

    /** A run's unresolved rows in line order, their text as it was in the input. */
    public List<Row> unresolved(long runId) {
        return jdbc.query(ROWS, Map.of("runId", runId), (rs, i) -> new Row(rs.getLong("line_number"),
                rs.getBoolean("raw_text_escaped") ? unescapeNul(rs.getString("raw_text")) : rs.getString("raw_text")));
    }

    /** The exact text of a raw text stored escaped ({@code raw_text_escaped}): {@code \0} is NUL, {@code \\} a backslash. */
    public static String unescapeNul(String stored) {
        StringBuilder text = new StringBuilder(stored.length());
        for (int i = 0; i < stored.length(); i++) {
            char c = stored.charAt(i);
            if (c == '\\' && i + 1 < stored.length()) {
                char next = stored.charAt(++i);
                text.append(next == '0' ? '\0' : next);
            } else {
                text.append(c);
            }
        }
        return text.toString();
    }
}
