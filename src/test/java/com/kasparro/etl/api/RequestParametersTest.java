package com.kasparro.etl.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import com.kasparro.etl.support.BuiltInSources;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Map body the API's sql: endpoints bind {@code :#name} from: typed values, and every name
 * present even when null, since camel-sql falls back to the headers (the request's raw text) for
 * a name the body lacks.
 */
class RequestParametersTest {

    private static final RequestParameters PARAMETERS = new RequestParameters(BuiltInSources.registry());

    private static Map<String, Object> headers(Object... pairs) {
        Map<String, Object> headers = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            headers.put((String) pairs[i], pairs[i + 1]);
        }
        return headers;
    }

    @Test
    void pagingIsTypedAndAbsentFiltersAreNullButPresent() {
        Map<String, Object> runs = PARAMETERS.runs(headers("limit", "10", "offset", "20", "status", ""));
        assertThat(runs).containsOnlyKeys("source", "status", "limit", "offset")
                .containsEntry("limit", 10).containsEntry("offset", 20L)
                .containsEntry("source", null).containsEntry("status", null);
        assertThat(runs.get("limit")).isInstanceOf(Integer.class);
        assertThat(runs.get("offset")).isInstanceOf(Long.class);

        assertThat(PARAMETERS.rejections(headers("run_id", "7")))
                .containsEntry("runId", 7L).containsEntry("limit", RequestParameters.DEFAULT_LIMIT)
                .containsEntry("offset", 0L);
        assertThat(PARAMETERS.rejections(headers())).containsEntry("runId", null);
        assertThat(PARAMETERS.data(headers("source", "products_csv")))
                .containsEntry("source", "products_csv").containsEntry("pattern", null);
        assertThat(PARAMETERS.run(headers("id", "+7"))).containsExactly(Map.entry("id", 7L));
    }

    @Test
    void aSearchBecomesALikePatternWithItsWildcardsEscaped() {
        assertThat(PARAMETERS.records(headers("q", " Ph%_\\ ")))
                .containsEntry("pattern", "%ph\\%\\_\\\\%");
        assertThat(PARAMETERS.records(headers("q", " "))).containsEntry("pattern", null);
    }

    @Test
    void theFirstBadParameterIsNamed() {
        assertThatThrownBy(() -> PARAMETERS.runs(headers("status", "done", "limit", "x")))
                .isInstanceOf(BadParameterException.class)
                .hasMessage("status must be one of running, success, failed");
        assertThatThrownBy(() -> PARAMETERS.records(headers("limit", List.of("1", "2"))))
                .hasMessage("limit must be given at most once");
        assertThatThrownBy(() -> PARAMETERS.run(headers("id", "0")))
                .hasMessage("id must be a positive integer");
    }

    @Test
    void progressIsTruncatedToOneDecimalAndWholeOnceARunSucceeded() {
        assertThat(ViewRows.progressPercent("success", null, 0)).isEqualTo(BigDecimal.valueOf(100));
        assertThat(ViewRows.progressPercent("running", null, 10)).isNull();
        assertThat(ViewRows.progressPercent("running", 0L, 10)).isEqualTo(BigDecimal.ZERO);
        assertThat(ViewRows.progressPercent("running", 1000L, 453)).isEqualTo(new BigDecimal("45.3"));
        assertThat(ViewRows.progressPercent("running", 3L, 2)).isEqualTo(new BigDecimal("66.6"));
        assertThat(ViewRows.progressPercent("failed", 10L, 20)).isEqualTo(new BigDecimal("100.0"));
    }
}
