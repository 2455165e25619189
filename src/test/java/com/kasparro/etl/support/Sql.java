package com.kasparro.etl.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** One number from the database of a service running as a process (user postgres, no password). */
public final class Sql {

    private Sql() {
    }

    public static long count(Connection db, String sql) throws SQLException {
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The rows the runs have read so far; 0 while the database does not answer. */
    public static long committedRows(String jdbcUrl) {
        try (Connection db = DriverManager.getConnection(jdbcUrl, "postgres", "")) {
            return count(db, "SELECT COALESCE(sum(records_read), 0) FROM etl_runs");
        } catch (SQLException e) {
            return 0;
        }
    }
}
