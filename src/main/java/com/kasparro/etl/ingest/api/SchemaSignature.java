package com.kasparro.etl.ingest.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The structural signature of the coin objects: field path -> JSON type, the union over all
 * elements. Rules:
 * <ul>
 *   <li>types are {@code string, number, boolean, null, object, array};</li>
 *   <li>nested objects are flattened with dots ({@code platforms} -> object, {@code platforms.ethereum}
 *       -> string); arrays are not descended into;</li>
 *   <li>a path seen with several types records all of them, sorted and joined with {@code |}
 *       ({@code "null|string"}); a field missing from some elements is not a type (absent != null).</li>
 * </ul>
 */
public final class SchemaSignature {

    private final SortedMap<String, SortedSet<String>> types = new TreeMap<>();

    /** Adds one element; only objects have a structure. */
    public void add(JsonNode element) {
        if (element.isObject()) {
            walk("", element);
        }
    }

    /** No object seen (no items, or none that is an object): no structure to compare. */
    public boolean isEmpty() {
        return types.isEmpty();
    }

    private void walk(String prefix, JsonNode object) {
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String path = prefix + field.getKey();
            JsonNode value = field.getValue();
            types.computeIfAbsent(path, p -> new TreeSet<>()).add(typeOf(value));
            if (value.isObject()) {
                walk(path + ".", value);
            }
        }
    }

    static String typeOf(JsonNode value) {
        return switch (value.getNodeType()) {
            case STRING, BINARY -> "string";
            case NUMBER -> "number";
            case BOOLEAN -> "boolean";
            case NULL, MISSING -> "null";
            case OBJECT, POJO -> "object";
            case ARRAY -> "array";
        };
    }

    /** The signature as stored: sorted path -> type(s). */
    public SortedMap<String, String> asMap() {
        SortedMap<String, String> map = new TreeMap<>();
        types.forEach((path, t) -> map.put(path, String.join("|", t)));
        return map;
    }

    /** What changed from {@code before} to {@code after}. */
    public record Diff(Map<String, String> added, Map<String, String> removed, Map<String, Change> changed) {

        public record Change(String from, String to) {
        }

        public static Diff between(Map<String, String> before, Map<String, String> after) {
            Map<String, String> added = new LinkedHashMap<>();
            Map<String, String> removed = new LinkedHashMap<>();
            Map<String, Change> changed = new LinkedHashMap<>();
            new TreeMap<>(after).forEach((path, type) -> {
                String old = before.get(path);
                if (old == null) {
                    added.put(path, type);
                } else if (!Objects.equals(old, type)) {
                    changed.put(path, new Change(old, type));
                }
            });
            new TreeMap<>(before).forEach((path, type) -> {
                if (!after.containsKey(path)) {
                    removed.put(path, type);
                }
            });
            return new Diff(added, removed, changed);
        }

        @JsonIgnore
        public boolean isEmpty() {
            return added.isEmpty() && removed.isEmpty() && changed.isEmpty();
        }

        /** "1 added (platforms), 0 removed, 1 changed (symbol: string -> null|string)", names cut at 5. */
        public String summary() {
            return added.size() + " added" + names(List.copyOf(added.keySet()))
                    + ", " + removed.size() + " removed" + names(List.copyOf(removed.keySet()))
                    + ", " + changed.size() + " changed" + names(changed.entrySet().stream()
                    .map(e -> e.getKey() + ": " + e.getValue().from() + " -> " + e.getValue().to()).toList());
        }

        private static String names(List<String> items) {
            if (items.isEmpty()) {
                return "";
            }
            List<String> shown = new ArrayList<>(items.subList(0, Math.min(5, items.size())));
            if (items.size() > 5) {
                shown.add("+" + (items.size() - 5) + " more");
            }
            return " (" + String.join(", ", shown) + ")";
        }
    }
}
