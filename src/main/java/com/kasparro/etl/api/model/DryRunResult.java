package com.kasparro.etl.api.model;

import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.kasparro.etl.ingest.DryRun;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * What dropping (or polling) an input would do. {@code refused}: why the whole input would be
 * refused, else null; {@code records}: the first mapped records; {@code rejections}: every one.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DryRunResult(String source, String refused, long rows, long valid, long rejected,
                           List<Record> records, List<Rejected> rejections) {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Record(long line, String externalId, String name, String category, BigDecimal value,
                         String currency, OffsetDateTime eventTimestamp, @JsonRawValue String attributes) {
    }

    public record Rejected(long line, String raw, String reason) {
    }

    public static DryRunResult of(DryRun.Outcome o) {
        return new DryRunResult(o.source(), o.refused(), o.rows(), o.valid(), o.rejected(),
                o.records().stream().map(r -> new Record(r.line(), r.externalId(), r.name(), r.category(), r.value(),
                        r.currency(), r.eventTimestamp(), r.attributesJson())).toList(),
                o.rejections().stream().map(r -> new Rejected(r.line(), r.rawText(), r.reason())).toList());
    }
}
