package com.kasparro.etl.normalize;

import com.kasparro.etl.source.SourceRegistry;
import com.kasparro.etl.source.SourceSpec;
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
            // Parsed once, for the check and for the record.
            BigDecimal value = isBlank(candidate.value()) ? null : parseDecimal(candidate.value());
            String reason = candidate.defect() != null ? candidate.defect() : check(spec, candidate, value);
            if (reason != null) {
                rejected.add(new Rejection(candidate.line(), candidate.rawText(), reason));
                continue;
            }
            valid.add(toUnified(spec, candidate, value, sha256));
        }
        return new Batch(batch.source(), batch.runId(), batch.fileName(), batch.checkpointKey(),
                batch.previousLine(), batch.lastLine(), batch.bytesRead(), batch.records().size(),
                raw, valid, rejected);
    }

    private static String check(SourceSpec spec, CandidateRecord row, BigDecimal value) {
        if (isBlank(row.externalId())) {
            return spec.idField() + " is missing or empty";
        }
        if (!spec.requireNameCategoryValue()) {
            return null;
        }
        if (isBlank(row.name())) {
            return spec.nameField() + " is missing or empty";
        }
        if (isBlank(row.category())) {
            return spec.categoryField() + " is missing or empty";
        }
        if (isBlank(row.value())) {
            return spec.valueField() + " is missing or empty";
        }
        if (value == null) {
            return spec.valueField() + " is not a decimal number: '" + abbreviate(row.value()) + "'";
        }
        if (value.signum() <= 0) {
            return spec.valueField() + " must be greater than 0: '" + abbreviate(row.value()) + "'";
        }
        return null;
    }

    private UnifiedRecord toUnified(SourceSpec spec, CandidateRecord row, BigDecimal value, MessageDigest sha256) {
        String externalId = row.externalId().trim();
        String name = row.name() == null ? null : row.name().trim();
        String category = row.category() == null ? null
                : spec.lowerCaseCategory() ? row.category().trim().toLowerCase(Locale.ROOT) : row.category();
        String attributes = row.attributes() == null ? "{}" : row.attributes();
        String canonicalValue = value == null ? "" : value.stripTrailingZeros().toPlainString();
        String content = String.join("\u0001", nullToEmpty(name), nullToEmpty(category), canonicalValue, attributes);
        String hash = Sha256.hex(sha256, content.getBytes(StandardCharsets.UTF_8));
        return new UnifiedRecord(row.line(), externalId, name, category, value, attributes, hash);
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

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
