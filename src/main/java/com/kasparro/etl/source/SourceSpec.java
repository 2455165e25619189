package com.kasparro.etl.source;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One checked source: its name, how its input arrives, and how its fields map onto a unified
 * record. Field labels are the source's own column or path names, so that rejection reasons speak
 * the user's language.
 *
 * @param filePattern csv sources: the inbox file names (a glob, matched case-insensitively); else null
 * @param api         json-api sources: the request and its schedule; else null
 * @param fields      the mapped fields, in {@link UnifiedField} order (the order rules are checked in)
 * @param wholeItemAttributes true: {@code attributes} holds the whole item, not only its unmapped fields
 * @param enabled     false: the source's data is served but nothing reads new input for it
 */
public record SourceSpec(
        String source,
        Kind kind,
        String filePattern,
        Api api,
        List<FieldSpec> fields,
        boolean wholeItemAttributes,
        boolean enabled) {

    public enum Kind {
        CSV("csv"), JSON_API("json-api");

        private final String key;

        Kind(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }
    }

    /**
     * @param itemsPointer the JSON pointer of the array of items ("" = the body)
     * @param headers      sent as given; values never logged
     * @param provider     an account the requests share ("coingecko"), or null
     * @param paging       null: one request per poll
     */
    public record Api(URI url, String schedule, String itemsPointer, Map<String, String> headers, String provider,
                      Paging paging, Duration timeout) {
    }

    /** Page N adds {@code param=N}; pages 1..maxPages; a page with fewer than {@code size} items is the last. */
    public record Paging(String param, int size, int maxPages) {
    }

    public Optional<FieldSpec> field(UnifiedField target) {
        return fields.stream().filter(f -> f.target() == target).findFirst();
    }

    /** The columns a file of this source must have in its header. */
    public List<String> requiredColumns() {
        return fields.stream().filter(f -> f.required() && f.from() != null).map(FieldSpec::from).toList();
    }

    /** A column or item field that no field maps goes to {@code attributes}. */
    public boolean isMapped(String column) {
        return fields.stream().anyMatch(f -> column.equals(f.from()));
    }
}
