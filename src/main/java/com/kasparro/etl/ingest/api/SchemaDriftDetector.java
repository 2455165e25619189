package com.kasparro.etl.ingest.api;

import com.kasparro.etl.observe.EtlMetrics;
import com.kasparro.etl.store.SchemaSnapshot;
import com.kasparro.etl.util.Sha256;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kasparro.etl.store.SchemaSnapshotRepository;
import com.kasparro.etl.store.SchemaSnapshotRepository.Snapshot;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Compares a payload's structural signature with the latest snapshot of its source: the first one
 * is stored as the baseline, a different one is stored with its diff and one WARN line, the same
 * one changes nothing. Drift never stops ingestion.
 */
@Component
public class SchemaDriftDetector {

    private static final Logger log = LoggerFactory.getLogger(SchemaDriftDetector.class);
    private static final TypeReference<Map<String, String>> SIGNATURE = new TypeReference<>() {
    };

    private final SchemaSnapshotRepository snapshots;
    private final ObjectMapper mapper;
    private final EtlMetrics metrics;

    public SchemaDriftDetector(SchemaSnapshotRepository snapshots, ObjectMapper mapper, EtlMetrics metrics) {
        this.snapshots = snapshots;
        this.mapper = mapper;
        this.metrics = metrics;
    }

    /**
     * The snapshot to store for this signature: the baseline when the source has none, a drift
     * with its diff when it differs from the latest; null when nothing changed.
     */
    public SchemaSnapshot compare(String source, long runId, SchemaSignature signature) throws JsonProcessingException {
        SortedMap<String, String> current = signature.asMap();
        String json = mapper.writeValueAsString(current);  // sorted keys: a canonical text
        String hash = Sha256.hex(json.getBytes(StandardCharsets.UTF_8));
        Optional<Snapshot> latest = snapshots.latest(source);
        if (latest.isEmpty()) {
            return new SchemaSnapshot(source, runId, json, hash, null, null, current.size());
        }
        if (latest.get().signatureHash().equals(hash)) {
            return null;
        }
        Map<String, String> before = mapper.readValue(latest.get().signatureJson(), SIGNATURE);
        SchemaSignature.Diff diff = SchemaSignature.Diff.between(before, current);
        if (diff.isEmpty()) {
            return null; // same structure under another hash (e.g. older canonical form)
        }
        return new SchemaSnapshot(source, runId, json, hash, mapper.writeValueAsString(diff), diff.summary(),
                current.size());
    }

    /** After the snapshot is stored: the baseline's INFO line, or a drift's WARN line and count. */
    public void stored(SchemaSnapshot snapshot) {
        if (snapshot.diffJson() == null) {
            log.info("{}: schema baseline stored ({} field paths)", snapshot.source(), snapshot.fieldCount());
            return;
        }
        log.warn("Schema drift detected for {}: {}", snapshot.source(), snapshot.summary());
        metrics.drift(snapshot.source());
    }
}
