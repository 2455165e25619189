package com.kasparro.etl.store.budget;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * What a call budget has left now: requests in the sliding minute, and in the calendar month (UTC);
 * {@code monthLeft} is null when there is no monthly cap.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.ALWAYS)
public record BudgetLeft(long minuteLeft, Long monthLeft) {
}
