package com.kasparro.etl.normalize;

import java.util.List;

/**
 * Flat JSON objects of strings ({@code raw_csv_data.row_data}, CSV {@code attributes}), written by
 * hand, field by field with a file's keys escaped once, instead of a map per row through Jackson:
 * two of these are written for every row. The output is byte for byte what Jackson's default
 * {@code ObjectMapper} writes for a {@code Map<String, String>}, except that NUL becomes U+FFFD:
 * jsonb refuses {@code \u0000}, and a row with NUL is rejected anyway (its exact text is in
 * {@code rejected_rows}).
 */
public final class JsonText {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private JsonText() {
    }

    /** Names as object keys, escaped once (a file's header): {@code "name":} each, for {@link #field}. */
    public static String[] keys(List<String> names) {
        String[] keys = new String[names.size()];
        for (int i = 0; i < keys.length; i++) {
            StringBuilder key = new StringBuilder(names.get(i).length() + 3);
            string(key, names.get(i));
            keys[i] = key.append(':').toString();
        }
        return keys;
    }

    /**
     * Adds a field to an object being written into {@code object}, which starts with its {@code '{'}:
     * {@code key} from {@link #keys}. The caller closes the object.
     */
    public static void field(StringBuilder object, String key, String value) {
        if (object.length() > 1) {
            object.append(',');
        }
        object.append(key);
        if (value == null) {
            object.append("null");
        } else {
            string(object, value);
        }
    }

    static void string(StringBuilder out, String s) {
        out.append('"');
        int from = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            out.append(s, from, i);
            from = i + 1;
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\0' -> out.append("\\ufffd");
                default -> out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        out.append(s, from, s.length()).append('"');
    }
}
