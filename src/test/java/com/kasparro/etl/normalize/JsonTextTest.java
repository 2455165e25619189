package com.kasparro.etl.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The hand-written JSON must stay what Jackson wrote before it: content hashes depend on it. */
class JsonTextTest {

    private final ObjectMapper jackson = new ObjectMapper();

    @Test
    void sameTextAsJacksonForAwkwardStrings() throws Exception {
        Map<String, String> row = awkwardRow();
        assertThat(JsonText.object(row)).isEqualTo(jackson.writeValueAsString(row));
    }

    @Test
    void fieldsWithKeysEscapedOnceWriteWhatObjectWrites() {
        Map<String, String> row = awkwardRow();
        row.put("nul \u00e9\t", "a\u0000b");
        List<String> names = List.copyOf(row.keySet());
        String[] keys = JsonText.keys(names);
        StringBuilder object = new StringBuilder("{");
        for (int i = 0; i < keys.length; i++) {
            JsonText.field(object, keys[i], row.get(names.get(i)));
        }
        assertThat(object.append('}').toString()).isEqualTo(JsonText.object(row));
    }

    @Test
    void nulBecomesReplacementCharacterBecauseJsonbRefusesIt() throws Exception {
        Map<String, String> row = Map.of("k", "a\u0000b");
        assertThat(JsonText.object(row)).isEqualTo("{\"k\":\"a\\ufffdb\"}");
        assertThat(JsonText.object(Map.of())).isEqualTo(jackson.writeValueAsString(Map.of()));
    }

    /** Keys and values that need escaping, in a fixed order. */
    private static Map<String, String> awkwardRow() {
        Map<String, String> row = new LinkedHashMap<>();
        row.put("plain", "Phone");
        row.put("quotes \"and\" \\ backslash", "a \"b\" \\c\\");
        row.put("controls", "tab\tnl\ncr\rbs\bff\f\u0001\u001f\u007f");
        row.put("unicode", "caf\u00e9 \u20ac \ud83d\ude00 \u2028 \ufffd");
        row.put("slash", "a/b</script>");
        row.put("empty", "");
        row.put("null", null);
        return row;
    }
}
