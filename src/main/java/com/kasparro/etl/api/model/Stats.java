package com.kasparro.etl.api.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.kasparro.etl.store.budget.BudgetLeft;
import java.util.Map;

@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Stats(long totalRuns, long successfulRuns, long failedRuns, long runningRuns,
                    Map<String, Long> recordsBySource, RunsSummary runs, Map<String, Long> records,
                    Map<String, String> checkpoints, BudgetLeft coingeckoBudget) {
}
