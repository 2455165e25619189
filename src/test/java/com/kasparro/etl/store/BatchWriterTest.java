package com.kasparro.etl.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BatchWriterTest {

    @Test
    void aKeyRepeatedInABatchKeepsItsLastRowAtItsFirstPlace() {
        List<UnifiedRecord> merged = BatchWriter.lastPerKey(List.of(
                record(2, "10", "A"), record(3, "11", "B"), record(4, "10", "A2"), record(5, "12", "C"),
                record(6, "10", "A3")));
        assertThat(merged).extracting(r -> r.externalId() + "=" + r.name() + "@" + r.line())
                .containsExactly("10=A3@6", "11=B@3", "12=C@5");
    }

    @Test
    void aBatchWithoutRepeatsIsUnchanged() {
        List<UnifiedRecord> records = List.of(record(2, "a", "x"), record(3, "b", "y"));
        assertThat(BatchWriter.lastPerKey(records)).isEqualTo(records);
    }

    @Test
    void aNulIsEscapedReversiblyAndBackslashesWithIt() {
        assertThat(BatchWriter.escapeNul("a\0b\\c")).isEqualTo("a\\0b\\\\c");
    }

    private static UnifiedRecord record(long line, String id, String name) {
        return new UnifiedRecord(line, id, name, "c", null, null, null, "{}", "h" + line);
    }
}
