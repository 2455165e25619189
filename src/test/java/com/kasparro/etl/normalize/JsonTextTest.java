package com.kasparro.etl.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The hand-written JSON must stay byte for byte what Jackson wrote, or content hashes would move. */
class JsonTextTest {

    private final ObjectMapper jackson = new ObjectMapper();

    @Test
    void sameTextAsJacksonForAwkwardKeysAndValues() throws Exception {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("plain", "Phone");
        row.put("quotes \"and\" \\ backslash", "a \"b\" \\c\\");
        row.put("controls", "tab\tnl\ncr\rbs\bff\f\u0001\u001f\u007f");
        row.put("unicode \u00e9\t", "caf\u00e9 \u20ac \ud83d\ude00 \u2028 \ufffd");
        row.put("slash", "a/b</script>");
        row.put("empty", "");
        row.put("null", null);
        assertThat(written(row)).isEqualTo(jackson.writeValueAsString(row));
        assertThat(written(Map.of())).isEqualTo(jackson.writeValueAsString(Map.of())).isEqualTo("{}");
    }

    @Test
    void nulBecomesReplacementCharacterBecauseJsonbRefusesIt() {
        assertThat(written(Map.of("k", "a\u0000b"))).isEqualTo("{\"k\":\"a\\ufffdb\"}");
    }

    /** As CsvRowMapper writes a row: the keys escaped once, then a field per value. */
    private static String written(Map<String, String> row) {
        List<String> names = List.copyOf(row.keySet());
        String[] keys = JsonText.keys(names);
        StringBuilder object = new StringBuilder("{");
        for (int i = 0; i < keys.length; i++) {
            JsonText.field(object, keys[i], row.get(names.get(i)));
        }
        return object.append('}').toString();
    }
}
