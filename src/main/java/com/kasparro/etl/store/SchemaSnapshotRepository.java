package com.kasparro.etl.store;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** {@code schema_snapshots}: the structural signatures seen per source, newest last. */
@Repository
public class SchemaSnapshotRepository {

    private static final String LATEST = SqlFiles.load("schema-snapshot-latest.sql");
    private static final String INSERT = SqlFiles.load("schema-snapshot-insert.sql");

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

    /** @param diffJson null for the baseline */
    public void insert(String source, long runId, String signatureJson, String signatureHash, String diffJson) {
        Map<String, Object> p = new HashMap<>();
        p.put("source", source);
        p.put("runId", runId);
        p.put("signature", signatureJson);
        p.put("signatureHash", signatureHash);
        p.put("diff", diffJson);
        jdbc.update(INSERT, p);
    }
}
