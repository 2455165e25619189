package com.kasparro.etl.source;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The fields of a unified record that a source can map, in the order rules are checked. */
public enum UnifiedField {
    EXTERNAL_ID, NAME, CATEGORY, VALUE, CURRENCY, EVENT_TIMESTAMP;

    /** The name in configuration and in {@code unified_records}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<UnifiedField> of(String key) {
        return Arrays.stream(values()).filter(f -> f.key().equals(key)).findFirst();
    }
}
