package com.kasparro.etl.normalize;

import com.kasparro.etl.source.SourceRegistry;
import com.kasparro.etl.source.FieldSpec;
import com.kasparro.etl.source.SourceSpec;
import com.kasparro.etl.source.UnifiedField;
import com.kasparro.etl.store.Batch;
import com.kasparro.etl.store.Rejection;
import com.kasparro.etl.store.UnifiedRecord;
import com.kasparro.etl.util.Sha256;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import org.springframework.stereotype.Component;

/**
 * The shared validation step: the rules of the contract, applied the same way to every source.
 * A row either becomes a {@link UnifiedRecord} or a {@link Rejection} with a reason; it never
 * throws, so a bad row cannot fail its batch.
 */
@Component
public class RecordValidator {

    private final SourceRegistry sources;

    public RecordValidator(SourceRegistry sources) {
        this.sources = sources;
    }

    public Batch validate(RecordBatch batch) {
        SourceSpec spec = sources.get(batch.source());
        List<Batch.RawRow> raw = new ArrayList<>(batch.records().size());
        List<UnifiedRecord> valid = new ArrayList<>(batch.records().size());
        List<Rejection> rejected = new ArrayList<>();
        MessageDigest sha256 = Sha256.digest();
        for (CandidateRecord candidate : batch.records()) {
            if (candidate.rawJson() != null) {
                raw.add(new Batch.RawRow(candidate.line(), candidate.rawJson()));
            }
            Checked checked = candidate.defect() != null ? Checked.rejected(candidate.defect()) : check(spec, candidate);
            if (checked.reason() != null) {
                rejected.add(new Rejection(candidate.line(), candidate.rawText(), checked.reason()));
                continue;
            }
            valid.add(toUnified(candidate, checked, sha256));
        }
        return new Batch(batch.source(), batch.runId(), batch.fileName(), batch.checkpointKey(),
                batch.previousLine(), batch.lastLine(), batch.bytesRead(), batch.records().size(),
                raw, valid, rejected, spec.priceHistory() ? PriceHistoryPoints.of(valid) : List.of(),
                batch.replayOf(), batch.lane());
    }

    /** A row's checked values by {@link UnifiedField} ordinal, or the reason it is refused. */
    private record Checked(String reason, String[] text, BigDecimal value, OffsetDateTime eventTimestamp) {

        static Checked rejected(String reason) {
            return new Checked(reason, null, null, null);
        }
    }

    /** The source's rules, field by field in {@link UnifiedField} order: the first broken one is the reason. */
    private static Checked check(SourceSpec spec, CandidateRecord row) {
        String[] text = CandidateRecord.noFields();
        BigDecimal value = null;
        OffsetDateTime eventTimestamp = null;
        for (FieldSpec field : spec.fields()) {
            String given = field.isConstant() ? field.constant() : row.field(field.target());
            if (given == null || given.isBlank()) {
                if (field.required()) {
                    return Checked.rejected(field.label() + " is missing or empty");
                }
                if (given != null && field.type() == FieldSpec.Type.TEXT) {
                    text[field.target().ordinal()] = ""; // present but empty is data (an empty symbol), not absence
                }
                continue;
            }
            String trimmed = given.trim();
            switch (field.type()) {
                case DECIMAL -> {
                    value = parseDecimal(trimmed);
                    String broken = value == null
                            ? field.label() + " is not a decimal number: '" + abbreviate(given) + "'"
                            : outOfRange(field, value, given);
                    if (broken != null) {
                        return Checked.rejected(broken);
                    }
                }
                case TIMESTAMP -> {
                    eventTimestamp = parseTimestamp(trimmed);
                    if (eventTimestamp == null) {
                        return Checked.rejected(field.label() + " is not an ISO-8601 timestamp: '" + abbreviate(given) + "'");
                    }
                }
                case TEXT -> text[field.target().ordinal()] = transformed(field, trimmed);
            }
        }
        return new Checked(null, text, value, eventTimestamp);
    }

    private static String transformed(FieldSpec field, String trimmed) {
        return switch (field.transform()) {
            case LOWER -> trimmed.toLowerCase(Locale.ROOT);
            case UPPER -> trimmed.toUpperCase(Locale.ROOT);
            case NONE -> trimmed;
        };
    }

    /**
     * A row's key as validation makes it (trimmed, transformed), or null when it has none: a file's
     * rows of one key share a lane, whatever spaces or case their key is written with. The source's
     * key field is looked up once, not per row.
     */
    public static Function<CandidateRecord, String> keys(SourceSpec spec) {
        FieldSpec key = spec.fields().stream().filter(f -> f.target() == UnifiedField.EXTERNAL_ID).findFirst()
                .orElse(null);
        if (key == null) {
            return row -> null;
        }
        return row -> {
            String given = key.isConstant() ? key.constant() : row.field(key.target());
            return given == null || given.isBlank() ? null : transformed(key, given.trim());
        };
    }

    private static String outOfRange(FieldSpec field, BigDecimal value, String given) {
        if (field.minExclusive() != null && value.compareTo(field.minExclusive()) <= 0) {
            return field.label() + " must be greater than " + field.minExclusive().toPlainString() + ": '" + abbreviate(given) + "'";
        }
        if (field.minInclusive() != null && value.compareTo(field.minInclusive()) < 0) {
            return field.label() + " must be at least " + field.minInclusive().toPlainString() + ": '" + abbreviate(given) + "'";
        }
        if (field.maxInclusive() != null && value.compareTo(field.maxInclusive()) > 0) {
            return field.label() + " must be at most " + field.maxInclusive().toPlainString() + ": '" + abbreviate(given) + "'";
        }
        return null;
    }

    private static UnifiedRecord toUnified(CandidateRecord row, Checked checked, MessageDigest sha256) {
        String[] text = checked.text();
        String name = text[UnifiedField.NAME.ordinal()];
        String category = text[UnifiedField.CATEGORY.ordinal()];
        String currency = text[UnifiedField.CURRENCY.ordinal()];
        String attributes = row.attributes() == null ? "{}" : row.attributes();
        String canonicalValue = checked.value() == null ? "" : checked.value().stripTrailingZeros().toPlainString();
        StringBuilder content = new StringBuilder()
                .append(nullToEmpty(name)).append('\u0001').append(nullToEmpty(category)).append('\u0001')
                .append(canonicalValue).append('\u0001').append(attributes);
        // Fields only some sources map join the hash only when present, so that the hash of a
        // record without them stays what it always was.
        if (currency != null) {
            content.append("\u0001currency=").append(currency);
        }
        if (checked.eventTimestamp() != null) {
            content.append("\u0001event_timestamp=").append(checked.eventTimestamp().toInstant());
        }
        String hash = Sha256.hex(sha256, content.toString().getBytes(StandardCharsets.UTF_8));
        return new UnifiedRecord(row.line(), text[UnifiedField.EXTERNAL_ID.ordinal()], name, category,
                checked.value(), currency, checked.eventTimestamp(), attributes, hash);
    }

    /**
     * An ISO-8601 instant with an offset ({@code 2026-12-04T10:15:30Z}, {@code +01:00}); a local
     * date-time or a date is taken as UTC. Else null.
     */
    static OffsetDateTime parseTimestamp(String text) {
        try {
            return OffsetDateTime.parse(text);
        } catch (DateTimeParseException notWithOffset) {
            try {
                return LocalDateTime.parse(text).atOffset(ZoneOffset.UTC);
            } catch (DateTimeParseException notLocal) {
                try {
                    return LocalDate.parse(text).atStartOfDay().atOffset(ZoneOffset.UTC);
                } catch (DateTimeParseException notADate) {
                    return null;
                }
            }
        }
    }

    /**
     * A plain decimal ({@code -?(\d+(\.\d*)?|\.\d+)}, surrounding blanks ignored), else null.
     * BigDecimal also takes forms no spreadsheet writes ("1e3", "+5"); we keep plain decimals. A
     * scan, not a regex: the regex was the largest single item of validation in the profile.
     */
    static BigDecimal parseDecimal(String text) {
        String s = text.trim();
        int i = s.startsWith("-") ? 1 : 0;
        int digits = 0;
        boolean point = false;
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                digits++;
            } else if (c == '.' && !point) {
                point = true;
            } else {
                return null;
            }
        }
        return digits == 0 ? null : new BigDecimal(s);
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
