package com.kasparro.etl.normalize;

import java.util.List;
import java.util.UUID;

/** A {@link RecordBatch} after validation, as the store writes it. */
public record ValidatedBatch(
        UUID batchId,
        RecordBatch input,
        List<UnifiedRecord> valid,
        List<Rejection> rejected) {

    public int read() {
        return input.records().size();
    }
}
