package com.kasparro.etl.ingest.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Schema drift: a baseline, then one snapshot and one WARN per structural change, nothing when unchanged. */
class CoinGeckoDriftTest extends CoinGeckoTestSupport {

    static final String WARN_PREFIX = "Schema drift detected for coingecko_api:";

    @Autowired
    ObjectMapper mapper;

    void poll(String body) {
        stub(json(body));
        assertThat(awaitRun(launch()).get("status")).isEqualTo("success");
    }

    List<Map<String, Object>> snapshots() {
        return db.rows("SELECT signature::text AS signature, diff::text AS diff FROM schema_snapshots ORDER BY id");
    }

    List<String> warnings() {
        return logs.lines().stream().filter(l -> l.message().startsWith(WARN_PREFIX))
                .peek(l -> assertThat(l.level()).isEqualTo("WARN")).map(LogLine -> LogLine.message()).toList();
    }

    void assertJson(Object actual, String expected) throws Exception {
        assertThat(mapper.readTree((String) actual)).isEqualTo(mapper.readTree(expected));
    }

    @Test
    void baselineThenAddedRemovedAndChangedFieldsEachAddOneSnapshot() throws Exception {
        // Baseline: stored, no warning.
        poll("[{\"id\":\"a\",\"symbol\":\"a\",\"name\":\"A\"},{\"id\":\"b\",\"symbol\":\"b\",\"name\":\"B\"}]");
        assertThat(snapshots()).hasSize(1);
        assertJson(snapshots().get(0).get("signature"), "{\"id\":\"string\",\"symbol\":\"string\",\"name\":\"string\"}");
        assertThat(snapshots().get(0).get("diff")).isNull();
        assertThat(warnings()).isEmpty();

        double driftsBefore = counter("etl.schema.drift");
        // Added: platforms (a nested object, flattened with dots).
        poll("[{\"id\":\"a\",\"symbol\":\"a\",\"name\":\"A\",\"platforms\":{\"ethereum\":\"0xabc\"}},"
                + "{\"id\":\"b\",\"symbol\":\"b\",\"name\":\"B\",\"platforms\":{}}]");
        assertThat(snapshots()).hasSize(2);
        assertJson(snapshots().get(1).get("diff"), "{\"added\":{\"platforms\":\"object\",\"platforms.ethereum\":\"string\"},"
                + "\"removed\":{},\"changed\":{}}");
        assertThat(warnings()).containsExactly(WARN_PREFIX + " 2 added (platforms, platforms.ethereum), 0 removed, 0 changed");
        assertThat(counter("etl.schema.drift") - driftsBefore).as("etl_schema_drift_total moves").isEqualTo(1.0);
        assertThat(db.count("SELECT count(*) FROM unified_records")).as("ingestion goes on").isEqualTo(2);

        // Removed: name (and platforms again); a missing name is stored as null, not rejected.
        logs.clear();
        poll("[{\"id\":\"a\",\"symbol\":\"a\"},{\"id\":\"c\",\"symbol\":\"c\"}]");
        assertThat(snapshots()).hasSize(3);
        assertJson(snapshots().get(2).get("diff"), "{\"added\":{},\"removed\":{\"name\":\"string\","
                + "\"platforms\":\"object\",\"platforms.ethereum\":\"string\"},\"changed\":{}}");
        assertThat(warnings()).singleElement().asString().startsWith(WARN_PREFIX + " 0 added, 3 removed (name, ");
        assertThat(db.row("SELECT name FROM unified_records WHERE external_id = 'c'").get("name")).isNull();
        assertThat(db.count("SELECT count(*) FROM rejected_rows")).isZero();

        // Changed: symbol is null in one element: "null|string".
        logs.clear();
        poll("[{\"id\":\"a\",\"symbol\":null},{\"id\":\"d\",\"symbol\":\"d\"}]");
        assertThat(snapshots()).hasSize(4);
        assertJson(snapshots().get(3).get("diff"), "{\"added\":{},\"removed\":{},"
                + "\"changed\":{\"symbol\":{\"from\":\"string\",\"to\":\"null|string\"}}}");
        assertJson(snapshots().get(3).get("signature"), "{\"id\":\"string\",\"symbol\":\"null|string\"}");
        assertThat(warnings()).containsExactly(WARN_PREFIX + " 0 added, 0 removed, 1 changed (symbol: string -> null|string)");

        // The same signature again (other content): nothing.
        logs.clear();
        poll("[{\"id\":\"e\",\"symbol\":null},{\"id\":\"f\",\"symbol\":\"f\"},{\"id\":\"g\",\"symbol\":\"g\"}]");
        assertThat(snapshots()).hasSize(4);
        assertThat(warnings()).isEmpty();
        assertThat(counter("etl.schema.drift") - driftsBefore).as("one count per drift event").isEqualTo(3.0);
        assertThat(db.rows("SELECT run_id FROM schema_snapshots WHERE diff IS NULL")).hasSize(1);
    }
}
