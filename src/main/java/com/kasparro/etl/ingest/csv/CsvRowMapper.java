package com.kasparro.etl.ingest.csv;

import com.kasparro.etl.normalize.CandidateRecord;
import com.kasparro.etl.normalize.ControlCharacters;
import com.kasparro.etl.normalize.JsonText;
import com.kasparro.etl.source.FieldSpec;
import com.kasparro.etl.source.SourceSpec;
import com.kasparro.etl.source.UnifiedField;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A source's mapper: turns a row of its CSV into the common {@link CandidateRecord}, using the
 * file's own header (matched case-insensitively and trimmed, in any order). Columns the source
 * does not map are kept, by header name, in {@code attributes}.
 */
public final class CsvRowMapper {

    private final SourceSpec spec;
    private final List<String> header;
    /** Per unified field: the header position it is read from, or -1 (not mapped, or an absent optional column). */
    private final int[] positions;
    /** Per header position: a column the source does not map, kept in attributes (decided once per file). */
    private final boolean[] extra;
    /** The header as JSON object keys, escaped once per file. */
    private final String[] jsonKeys;
    private final int jsonKeysLength;

    /** Checks a file's header against a source and builds that file's mapper. */
    @FunctionalInterface
    public interface Factory {
        CsvRowMapper forHeader(List<String> rawHeader);

        static Factory of(SourceSpec spec) {
            return rawHeader -> new CsvRowMapper(spec, rawHeader);
        }
    }

    private CsvRowMapper(SourceSpec spec, List<String> rawHeader) {
        this.spec = spec;
        this.header = normalize(rawHeader);
        List<String> missing = spec.requiredColumns().stream().filter(c -> !header.contains(c)).toList();
        if (!missing.isEmpty()) {
            throw new InvalidFileException("required column(s) missing: " + String.join(", ", missing)
                    + " (header: " + abbreviate(String.join(", ", header)) + ")");
        }
        this.positions = new int[UnifiedField.values().length];
        java.util.Arrays.fill(positions, -1);
        for (FieldSpec field : spec.fields()) {
            if (field.from() != null) {
                positions[field.target().ordinal()] = header.indexOf(field.from());
            }
        }
        this.extra = new boolean[header.size()];
        for (int i = 0; i < header.size(); i++) {
            extra[i] = !spec.isMapped(header.get(i));
        }
        this.jsonKeys = JsonText.keys(header);
        this.jsonKeysLength = Arrays.stream(jsonKeys).mapToInt(String::length).sum();
    }

    private static List<String> normalize(List<String> rawHeader) {
        List<String> names = new ArrayList<>(rawHeader.size());
        Set<String> seen = new HashSet<>();
        Set<String> duplicates = new java.util.LinkedHashSet<>();
        for (int i = 0; i < rawHeader.size(); i++) {
            String n = rawHeader.get(i).trim().toLowerCase(Locale.ROOT);
            if (n.isEmpty()) {
                n = "column_" + (i + 1);
            }
            if (!seen.add(n)) {
                duplicates.add(n);
            }
            names.add(n);
        }
        if (!duplicates.isEmpty()) {
            // Which of two "price" columns is the price? Guessing would store wrong data.
            throw new InvalidFileException("duplicate column name(s) in header: "
                    + abbreviate(String.join(", ", duplicates)));
        }
        return List.copyOf(names);
    }

    public CandidateRecord map(CsvRow row) {
        List<String> values = row.values();
        int n = Math.min(values.size(), header.size());
        // Both JSON texts straight from the values, with the keys escaped once per file: no map per
        // row, and no escaping of the same header names on every row (JFR of a re-drop: writing these
        // texts was about a fifth of the reader thread).
        StringBuilder data = new StringBuilder(jsonKeysLength + 3 * n + (row.raw() == null ? 64 : row.raw().length()))
                .append('{');
        StringBuilder attributes = new StringBuilder(64).append('{');
        for (int i = 0; i < n; i++) {
            JsonText.field(data, jsonKeys[i], values.get(i));
            if (extra[i]) {
                JsonText.field(attributes, jsonKeys[i], values.get(i));
            }
        }
        String defect = row.defect() != null ? row.defect() : defectOf(values);
        String[] fields = CandidateRecord.noFields();
        for (int f = 0; f < positions.length; f++) {
            fields[f] = get(values, positions[f]);
        }
        return new CandidateRecord(row.line(), row.raw(), data.append('}').toString(), fields,
                attributes.append('}').toString(), defect);
    }

    private String defectOf(List<String> values) {
        if (values.size() != header.size()) {
            return "has " + values.size() + " field(s), the header has " + header.size();
        }
        for (int i = 0; i < values.size(); i++) {
            String value = values.get(i);
            if (value.indexOf('\uFFFD') >= 0) {
                return "invalid UTF-8 byte sequence in column " + header.get(i);
            }
            String control = ControlCharacters.describe(value);
            if (control != null) {
                return control + " in column " + header.get(i);
            }
        }
        return null;
    }

    private static String get(List<String> values, int index) {
        return index >= 0 && index < values.size() ? values.get(index) : null;
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 197) + "...";
    }
}
