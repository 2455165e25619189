package com.kasparro.etl.normalize;

/**
 * A value holding a control character (a stray byte in a text file, an escaped one in JSON) is
 * refused with its row: PostgreSQL text cannot hold NUL at all, and the others are never data.
 * Tab, CR and LF stay valid: quoted CSV fields and JSON strings may hold them.
 */
public final class ControlCharacters {

    private ControlCharacters() {
    }

    /** "NUL character" or "control character U+0001" for the first one in {@code value}, else null. */
    public static String describe(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\0') {
                return "NUL character";
            }
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
                return String.format("control character U+%04X", (int) c);
            }
        }
        return null;
    }
}
