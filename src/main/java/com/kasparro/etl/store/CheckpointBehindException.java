package com.kasparro.etl.store;

/**
 * A file batch found its input's checkpoint behind the line it continues from: the database lost
 * batches it had acknowledged (commits are synchronous, so only a server that lies about its
 * flushes, or a restore from an older backup, does that). Nothing of them is stored; the file
 * resumes after {@link #storedLine()} instead of leaving a gap.
 */
public class CheckpointBehindException extends RuntimeException {

    private final long storedLine;

    public CheckpointBehindException(String fileName, long previousLine, long storedLine) {
        super(fileName + ": the batch after line " + previousLine + " found the stored checkpoint at line "
                + storedLine + ": the database lost batches it had acknowledged");
        this.storedLine = storedLine;
    }

    public long storedLine() {
        return storedLine;
    }
}
