package com.kasparro.etl.api.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/** {@code GET /data}: the original system's shape; {@code count} is the number of items in {@code data}. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DataPage(String requestId, double apiLatencyMs, int count, long total, List<DataItem> data) {
}
