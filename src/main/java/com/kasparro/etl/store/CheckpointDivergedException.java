package com.kasparro.etl.store;

import com.kasparro.etl.normalize.RecordBatch;

/**
 * A file batch does not continue from its input's stored checkpoint: the batches its run saw commit
 * are not all in the database (a crash of PostgreSQL lost commits it had acknowledged, which
 * asynchronous batch commits allow, see {@link BatchCommitMode}), or the checkpoint is past it. The
 * batch is rolled back, and the file's route resumes the file after the stored checkpoint.
 */
public class CheckpointDivergedException extends RuntimeException {

    private final transient RecordBatch batch;
    private final long storedLine;

    public CheckpointDivergedException(RecordBatch batch, long storedLine) {
        super(batch.fileName() + ": the batch of lines " + (batch.previousLine() + 1) + "-" + batch.lastLine()
                + " continues from line " + batch.previousLine() + ", but the stored checkpoint is at line "
                + storedLine);
        this.batch = batch;
        this.storedLine = storedLine;
    }

    public RecordBatch batch() {
        return batch;
    }

    public long storedLine() {
        return storedLine;
    }
}
