package com.kasparro.etl.source;

import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * One source: its name, how its input arrives, and how its fields map onto a unified record. The
 * field names are the source's own, so that rejection reasons speak the user's language.
 *
 * @param filePattern csv sources: the inbox file names (an Ant glob, matched case-insensitively); else null
 * @param valueField  null: the source has no value (its records store null)
 * @param requireNameCategoryValue whether name, category and value are required (files) or optional (the API)
 */
public record SourceSpec(
        String source,
        Kind kind,
        String filePattern,
        String idField,
        String nameField,
        String categoryField,
        String valueField,
        boolean lowerCaseCategory,
        boolean requireNameCategoryValue) {

    public enum Kind { CSV, JSON_API }

    /** The columns a file of this source must have in its header. */
    public List<String> requiredColumns() {
        return Stream.of(idField, nameField, categoryField, valueField).filter(Objects::nonNull).toList();
    }

    /** A field that is not mapped onto a unified column goes to {@code attributes}. */
    public boolean isMapped(String column) {
        return requiredColumns().contains(column);
    }
}
