package com.kasparro.etl.api.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.OffsetDateTime;

/** One source in one time bucket: the runs it started there and the records they loaded and refused. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record TimelinePoint(String source, OffsetDateTime bucketStart, long runs, long failedRuns,
                            long recordsLoaded, long recordsRejected) {
}
