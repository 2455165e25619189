package com.kasparro.etl.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.kasparro.etl.source.FieldSpec;
import com.kasparro.etl.source.SourceSpec;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A configured source as {@code GET /sources} shows it. Header names only: their values (keys)
 * are never shown.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SourceView(String name, String kind, boolean enabled, String files, String url, String schedule,
                         String items, List<String> headers, Paging paging, String attributes,
                         Map<String, Field> fields) {

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Field(String column, String path, String value, String type, String transform, boolean required,
                        BigDecimal minExclusive, BigDecimal minInclusive, BigDecimal maxInclusive) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Paging(String param, int size, int maxPages) {
    }

    public static SourceView of(SourceSpec spec) {
        Map<String, Field> fields = new LinkedHashMap<>();
        for (FieldSpec f : spec.fields()) {
            boolean csv = spec.kind() == SourceSpec.Kind.CSV;
            fields.put(f.target().key(), new Field(csv ? f.from() : null, csv ? null : f.from(), f.constant(),
                    f.type().name().toLowerCase(), f.transform() == FieldSpec.Transform.NONE ? null
                    : f.transform().name().toLowerCase(), f.required(), f.minExclusive(), f.minInclusive(),
                    f.maxInclusive()));
        }
        SourceSpec.Api api = spec.api();
        return new SourceView(spec.source(), spec.kind().key(), spec.enabled(), spec.filePattern(),
                api == null ? null : api.url().toString(), api == null ? null : api.schedule(),
                api == null ? null : api.itemsPointer(),
                api == null ? null : api.headers().keySet().stream().sorted().toList(),
                api == null || api.paging() == null ? null
                        : new Paging(api.paging().param(), api.paging().size(), api.paging().maxPages()),
                spec.wholeItemAttributes() ? "whole" : "unmapped", fields);
    }
}
