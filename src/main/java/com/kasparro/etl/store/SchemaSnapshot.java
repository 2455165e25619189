package com.kasparro.etl.store;

/**
 * A structural signature to store in {@code schema_snapshots} ({@code sql/schema-snapshot-insert.sql}).
 *
 * @param diffJson null for the baseline
 * @param summary  the diff in words, for the log line ("2 added (a, b), 0 removed, 0 changed"); null for the baseline
 */
public record SchemaSnapshot(String source, long runId, String signatureJson, String signatureHash,
                             String diffJson, String summary, int fieldCount) {
}
