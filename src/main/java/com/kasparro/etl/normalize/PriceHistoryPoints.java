package com.kasparro.etl.normalize;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kasparro.etl.store.PricePoint;
import com.kasparro.etl.store.UnifiedRecord;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * The price points of a {@code history: prices} source's valid records: the record's value in its
 * currency at its event time, with {@code market_cap} and {@code total_volume} from its attributes
 * (CoinGecko's {@code /coins/markets} item). A record without a time has no point.
 */
final class PriceHistoryPoints {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PriceHistoryPoints() {
    }

    static List<PricePoint> of(List<UnifiedRecord> valid) {
        List<PricePoint> points = new ArrayList<>(valid.size());
        for (UnifiedRecord r : valid) {
            if (r.value() == null || r.currency() == null || r.eventTimestamp() == null) {
                continue;
            }
            JsonNode attributes = attributes(r.attributesJson());
            points.add(new PricePoint(r.externalId(), r.currency(), r.value(), decimal(attributes.get("market_cap")),
                    decimal(attributes.get("total_volume")), r.eventTimestamp()));
        }
        return points;
    }

    private static JsonNode attributes(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            return JSON.createObjectNode(); // attributes are always an object's text; no figures then
        }
    }

    private static BigDecimal decimal(JsonNode node) {
        return node != null && node.isNumber() ? node.decimalValue() : null;
    }
}
