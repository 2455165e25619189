package com.kasparro.etl.store;

/**
 * Builds PostgreSQL {@code COPY ... FROM STDIN} text-format input: tab-separated columns,
 * one row per line, backslash escapes, {@code \N} for null.
 */
final class CopyText {

    private final StringBuilder out = new StringBuilder(64 * 1024);
    private boolean rowStart = true;

    CopyText add(Object value) {
        if (!rowStart) {
            out.append('\t');
        }
        rowStart = false;
        if (value == null) {
            out.append("\\N");
            return this;
        }
        String s = value.toString();
        int first = firstSpecial(s);
        if (first < 0) {
            out.append(s); // the common case: nothing to escape, one bulk copy
            return this;
        }
        out.append(s, 0, first);
        for (int i = first; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                // PostgreSQL text cannot hold NUL; the row is rejected for it, its text kept readable.
                case '\0' -> out.append('\uFFFD');
                default -> out.append(c);
            }
        }
        return this;
    }

    private static int firstSpecial(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' || c == '\n' || c == '\r' || c == '\t' || c == '\0') {
                return i;
            }
        }
        return -1;
    }

    CopyText endRow() {
        out.append('\n');
        rowStart = true;
        return this;
    }

    boolean isEmpty() {
        return out.isEmpty();
    }

    String text() {
        return out.toString();
    }
}
