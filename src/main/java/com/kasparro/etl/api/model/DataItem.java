package com.kasparro.etl.api.model;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.kasparro.etl.store.RecordView;
import java.math.BigDecimal;
import java.time.OffsetDateTime;

@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
/** {@code event_timestamp}: the source's own time of the record where it maps one, else when it last changed. */
public record DataItem(long id, String source, String externalId, String name, String category,
                       BigDecimal value, OffsetDateTime eventTimestamp) {

    public static DataItem of(RecordView r) {
        return new DataItem(r.id(), r.source(), r.externalId(), r.name(), r.category(), r.value(),
                r.eventTimestamp() != null ? r.eventTimestamp() : r.updatedAt());
    }
}
