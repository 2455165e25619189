package com.kasparro.etl.store;

import java.util.Arrays;

/**
 * Where each lane of an unfinished file stands, from {@code ingestion_lanes}: the last line its
 * batches committed (0: none yet). A resumed run reads past the rows each lane committed.
 */
public final class LaneCheckpoints {

    private final long[] lastLines;

    public LaneCheckpoints(long[] lastLines) {
        if (lastLines.length < 1) {
            throw new IllegalArgumentException("a file has at least one lane");
        }
        this.lastLines = lastLines.clone();
    }

    /** A file no batch of which has committed, to be written in {@code lanes} lanes. */
    public static LaneCheckpoints none(int lanes) {
        return new LaneCheckpoints(new long[lanes]);
    }

    public int lanes() {
        return lastLines.length;
    }

    public long lastLine(int lane) {
        return lastLines[lane];
    }

    /** Whether some lane has committed a batch. */
    public boolean any() {
        return Arrays.stream(lastLines).anyMatch(line -> line > 0);
    }

    /** The line up to which every lane has committed: the file is loaded at least that far. */
    public long everyLaneTo() {
        return Arrays.stream(lastLines).min().orElse(0);
    }

    @Override
    public String toString() {
        return "LaneCheckpoints" + Arrays.toString(lastLines);
    }
}
