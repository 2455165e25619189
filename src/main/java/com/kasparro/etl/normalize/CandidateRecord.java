package com.kasparro.etl.normalize;

import java.util.Map;

/**
 * One input row mapped onto the unified shape, not yet validated. {@code rawData} is the row as
 * parsed (stored in {@code raw_csv_data} for files), {@code rawText} the exact text for a
 * rejection, {@code defect} a reason found while reading (bad encoding, wrong field count).
 */
public record CandidateRecord(
        long line,
        String rawText,
        Map<String, String> rawData,
        String externalId,
        String name,
        String category,
        String value,
        Object attributes,
        String defect) {
}
