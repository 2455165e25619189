package com.kasparro.etl.normalize;

import com.kasparro.etl.source.UnifiedField;

/**
 * One input row mapped onto the unified shape, not yet validated. {@code fields} holds the mapped
 * values by {@link UnifiedField} ordinal, as read (null: absent); {@code rawJson} is the row as
 * parsed, as a JSON object (stored in {@code raw_csv_data} for files; null for API rows),
 * {@code rawText} the exact text for a rejection, {@code defect} a reason found while reading (bad
 * encoding, wrong field count), {@code attributes} the unmapped fields as a JSON object's text
 * (null: none). The mappers render the JSON on the reader's thread, which runs ahead of the
 * writing one.
 */
public record CandidateRecord(
        long line,
        String rawText,
        String rawJson,
        String[] fields,
        String attributes,
        String defect) {

    /** An empty value array to fill, one slot per {@link UnifiedField}. */
    public static String[] noFields() {
        return new String[UnifiedField.values().length];
    }

    public String field(UnifiedField field) {
        return fields == null ? null : fields[field.ordinal()];
    }

    public String externalId() {
        return field(UnifiedField.EXTERNAL_ID);
    }

    public String name() {
        return field(UnifiedField.NAME);
    }

    public String category() {
        return field(UnifiedField.CATEGORY);
    }

    public String value() {
        return field(UnifiedField.VALUE);
    }
}
