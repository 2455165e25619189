package com.kasparro.etl.store;

/**
 * A file batch found its input's checkpoint behind the line it continues from: a crash of
 * PostgreSQL lost batches it had acknowledged (their commits were asynchronous). Nothing of them is
 * stored; the file must resume after {@link #storedLine()}.
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
