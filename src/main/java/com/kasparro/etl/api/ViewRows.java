package com.kasparro.etl.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kasparro.etl.store.RecordView;
import com.kasparro.etl.store.RunView;
import com.kasparro.etl.store.SnapshotView;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Map;
import org.apache.camel.component.sql.RowMapperFactory;
import org.springframework.jdbc.core.ColumnMapRowMapper;
import org.springframework.jdbc.core.DataClassRowMapper;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

/**
 * Maps the rows of the API's {@code sql:} endpoints to the view records, chosen by the endpoint's
 * {@code outputClass} ({@code rowMapperFactory=#viewRows}). Records whose components are plain
 * columns go through Spring's {@link DataClassRowMapper} (snake_case columns to components);
 * runs derive their progress, and records and snapshots parse their jsonb text.
 *
 * <p>camel-sql also autowires the single RowMapperFactory of the registry into its component;
 * any other class and {@code outputClass}-less queries get what Camel's default factory gives,
 * save that records are built through their constructor.
 */
@Component(ViewRows.BEAN)
public class ViewRows implements RowMapperFactory {

    static final String BEAN = "viewRows";

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };
    private static final TypeReference<Object> ANY = new TypeReference<>() {
    };

    private final ObjectMapper json;

    public ViewRows(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public RowMapper<?> newColumnRowMapper() {
        return new ColumnMapRowMapper();
    }

    @Override
    public RowMapper<?> newBeanRowMapper(Class<?> type) {
        if (type == RunView.class) {
            return ViewRows::run;
        }
        if (type == RecordView.class) {
            return this::record;
        }
        if (type == SnapshotView.class) {
            return this::snapshot;
        }
        return new DataClassRowMapper<>(type);
    }

    /**
     * Bytes read over the file size, as a percent with one decimal; 100 once a run succeeded, null
     * when the input is not a file (an API poll) or its size is unknown.
     */
    static BigDecimal progressPercent(String status, Long fileSize, long bytesRead) {
        if ("success".equals(status)) {
            return BigDecimal.valueOf(100);
        }
        if (fileSize == null) {
            return null;
        }
        if (fileSize <= 0) {
            return BigDecimal.ZERO;
        }
        double percent = Math.min(100.0, bytesRead * 100.0 / fileSize);
        return BigDecimal.valueOf(percent).setScale(1, RoundingMode.DOWN);
    }

    private static RunView run(ResultSet rs, int row) throws SQLException {
        String status = rs.getString("status");
        Long fileSize = rs.getObject("file_size", Long.class);
        long bytesRead = rs.getLong("bytes_read");
        return new RunView(rs.getLong("id"), rs.getString("source"), status, rs.getString("trigger"),
                rs.getString("file_name"), rs.getString("file_hash"), fileSize, bytesRead,
                progressPercent(status, fileSize, bytesRead), rs.getString("instance_id"),
                rs.getObject("started_at", OffsetDateTime.class), rs.getObject("finished_at", OffsetDateTime.class),
                rs.getObject("created_at", OffsetDateTime.class), rs.getObject("heartbeat_at", OffsetDateTime.class),
                rs.getLong("records_read"), rs.getLong("records_inserted"), rs.getLong("records_updated"),
                rs.getLong("records_skipped"), rs.getLong("records_rejected"),
                rs.getObject("resumed_from_line", Long.class), rs.getString("error_message"), rs.getString("note"));
    }

    private RecordView record(ResultSet rs, int row) throws SQLException {
        return new RecordView(rs.getLong("id"), rs.getString("source"), rs.getString("external_id"),
                rs.getString("name"), rs.getString("category"), rs.getBigDecimal("value"),
                rs.getString("currency"), rs.getObject("event_timestamp", OffsetDateTime.class),
                parse(rs.getString("attributes"), OBJECT), rs.getString("content_hash"),
                rs.getObject("created_at", OffsetDateTime.class), rs.getObject("updated_at", OffsetDateTime.class));
    }

    private SnapshotView snapshot(ResultSet rs, int row) throws SQLException {
        return new SnapshotView(rs.getLong("id"), rs.getString("source"), rs.getObject("run_id", Long.class),
                rs.getString("signature_hash"), parse(rs.getString("signature"), ANY), parse(rs.getString("diff"), ANY),
                rs.getObject("created_at", OffsetDateTime.class));
    }

    private <T> T parse(String text, TypeReference<T> type) {
        try {
            return text == null ? null : json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("jsonb column holds invalid JSON", e);
        }
    }
}
