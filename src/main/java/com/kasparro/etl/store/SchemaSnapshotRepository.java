package com.kasparro.etl.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** {@code schema_snapshots}: the latest structural signature of a source (a new one is stored by
 * the poll route's {@code sql/schema-snapshot-insert.sql} step). */
@Repository
public class SchemaSnapshotRepository {

    private static final String LATEST = SqlFiles.load("schema-snapshot-latest.sql");

    private final NamedParameterJdbcTemplate jdbc;

    public SchemaSnapshotRepository(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A stored signature: its JSON text ({"path": "type"}) and hash. */
    public record Snapshot(String signatureJson, String signatureHash) {
    }

    public Optional<Snapshot> latest(String source) {
        List<Snapshot> found = jdbc.query(LATEST, Map.of("source", source),
                (rs, i) -> new Snapshot(rs.getString("signature"), rs.getString("signature_hash")));
        return found.stream().findFirst();
    }
}
