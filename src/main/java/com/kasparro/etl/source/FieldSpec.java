package com.kasparro.etl.source;

import java.math.BigDecimal;

/**
 * A checked field mapping of one source.
 *
 * @param from     the csv column (lower-case, as headers are matched) or the json-api path; null for a constant
 * @param constant the value every record gets, or null
 * @param label    how rejection reasons name the field: the user's own column or path
 */
public record FieldSpec(
        UnifiedField target,
        String from,
        String constant,
        Transform transform,
        Type type,
        boolean required,
        BigDecimal minExclusive,
        BigDecimal minInclusive,
        BigDecimal maxInclusive,
        String label) {

    public enum Transform { NONE, LOWER, UPPER }

    public enum Type { TEXT, DECIMAL, TIMESTAMP }

    public boolean isConstant() {
        return constant != null;
    }
}
