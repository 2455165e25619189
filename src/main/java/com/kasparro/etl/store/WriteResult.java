package com.kasparro.etl.store;

/**
 * What writing a {@link Batch} did. {@code alreadyWritten}: the batch had committed before (a COMMIT
 * whose answer was lost, then retried), so this attempt wrote nothing.
 */
public record WriteResult(Batch batch, long inserted, long updated, boolean alreadyWritten) {

    /** Valid rows that changed nothing: unchanged records, and a key's earlier rows in the batch. */
    public long skipped() {
        return alreadyWritten ? 0 : batch.valid().size() - inserted - updated;
    }

    static WriteResult alreadyWritten(Batch batch) {
        return new WriteResult(batch, 0, 0, true);
    }
}
