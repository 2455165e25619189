package com.kasparro.etl.normalize;

import java.util.List;

/** A {@link RecordBatch} after validation, as the store writes it. */
public record ValidatedBatch(
        RecordBatch input,
        List<UnifiedRecord> valid,
        List<Rejection> rejected) {

    public int read() {
        return input.records().size();
    }
}
