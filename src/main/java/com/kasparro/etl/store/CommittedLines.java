package com.kasparro.etl.store;

import java.util.List;

/**
 * The lines of a file that committed batches cover, as ranges {@code (previousLine, lastLine]} in
 * line order, from {@code ingestion_batches}. A file's batches commit in any order, so after a
 * crash these can have gaps: a resumed run writes exactly the lines in them.
 */
public record CommittedLines(List<Range> ranges) {

    public static final CommittedLines NONE = new CommittedLines(List.of());

    /** One committed batch: lines {@code previousLine + 1} to {@code lastLine}. */
    public record Range(long previousLine, long lastLine) {
    }

    public CommittedLines {
        ranges = List.copyOf(ranges);
        for (int i = 1; i < ranges.size(); i++) {
            if (ranges.get(i).previousLine() < ranges.get(i - 1).lastLine()) {
                throw new IllegalArgumentException("overlapping committed ranges " + ranges.get(i - 1) + " and " + ranges.get(i));
            }
        }
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    /** The last line of the unbroken run of ranges from the top of the file (0: none). */
    public long unbrokenTo() {
        long to = 0;
        for (Range r : ranges) {
            if (r.previousLine() != to) {
                break;
            }
            to = r.lastLine();
        }
        return to;
    }

    /** Whether some lines after {@link #unbrokenTo()} are committed: a gap a resumed run fills. */
    public boolean hasGap() {
        return !ranges.isEmpty() && ranges.get(ranges.size() - 1).lastLine() != unbrokenTo();
    }

    /** A reader's walk over the ranges, for lines asked in increasing order. */
    public Cursor cursor() {
        return new Cursor();
    }

    /** Not thread-safe: one per reader. */
    public final class Cursor {
        private int next;

        private Cursor() {
        }

        /** The last line of the committed range holding {@code line}, or 0 when no range does. */
        public long endOfRangeHolding(long line) {
            while (next < ranges.size() && ranges.get(next).lastLine() < line) {
                next++;
            }
            if (next < ranges.size() && ranges.get(next).previousLine() < line) {
                return ranges.get(next).lastLine();
            }
            return 0;
        }
    }
}
