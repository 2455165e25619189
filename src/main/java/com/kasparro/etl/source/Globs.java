package com.kasparro.etl.source;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Whether two file-name globs ({@code *} any run of characters, {@code ?} one character, matched
 * case-insensitively) can match one name. Hand-written: no library decides the intersection of
 * two globs; it walks both patterns as automata, remembering the pairs of positions seen.
 */
final class Globs {

    private Globs() {
    }

    static boolean overlap(String a, String b) {
        return overlap(a.toLowerCase(Locale.ROOT), 0, b.toLowerCase(Locale.ROOT), 0, new HashSet<>());
    }

    private static boolean overlap(String a, int i, String b, int j, Set<Long> seen) {
        if (!seen.add(((long) i << 32) | j)) {
            return false;
        }
        boolean aEnd = i == a.length();
        boolean bEnd = j == b.length();
        if (aEnd && bEnd) {
            return true;
        }
        if (!aEnd && a.charAt(i) == '*') {
            // The star matches nothing, or takes one more character of what b can produce.
            if (overlap(a, i + 1, b, j, seen)) {
                return true;
            }
            return !bEnd && overlap(a, i, b, j + 1, seen);
        }
        if (!bEnd && b.charAt(j) == '*') {
            return overlap(a, i, b, j + 1, seen) || (!aEnd && overlap(a, i + 1, b, j, seen));
        }
        if (aEnd || bEnd) {
            return false;
        }
        char x = a.charAt(i);
        char y = b.charAt(j);
        return (x == y || x == '?' || y == '?') && overlap(a, i + 1, b, j + 1, seen);
    }
}
