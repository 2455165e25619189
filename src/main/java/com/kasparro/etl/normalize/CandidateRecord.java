package com.kasparro.etl.normalize;

/**
 * One input row mapped onto the unified shape, not yet validated. {@code rawJson} is the row as
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
        String externalId,
        String name,
        String category,
        String value,
        String attributes,
        String defect) {
}
