package com.kasparro.etl.api;

import java.time.OffsetDateTime;

/** The row of {@code sql/stats-runs.sql}: runs by status and the last success and failure. */
record RunCounts(long total, long success, long failed, long running, OffsetDateTime lastSuccessAt,
                 OffsetDateTime lastFailureAt) {
}
