package com.kasparro.etl.source;

import com.kasparro.etl.source.FieldSpec.Transform;
import com.kasparro.etl.source.FieldSpec.Type;
import com.kasparro.etl.source.SourceSpec.Kind;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.quartz.CronExpression;

/**
 * The one list of sources, built from the {@code etl.sources} entries: routes, validation, metrics
 * and the HTTP API all read it. Building it checks every entry and throws
 * {@link InvalidSourceException} naming the first property at fault, so a bad configuration stops
 * the start. Runs have one more source, {@link #INBOX}, for files that belong to none.
 */
public class SourceRegistry {

    /** The source of a run that refused a file matching no source's pattern. */
    public static final String INBOX = "inbox";

    private static final String NAME = "[a-z][a-z0-9_]*";
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final Map<String, SourceSpec> byName;

    private SourceRegistry(Map<String, SourceSpec> byName) {
        this.byName = byName;
    }

    /** Checks the entries and builds the registry, in the entries' order. */
    public static SourceRegistry of(Map<String, SourceDefinition> definitions) {
        Map<String, SourceSpec> specs = new LinkedHashMap<>();
        if (definitions != null) {
            definitions.forEach((name, definition) -> specs.put(name, check(name, definition)));
        }
        if (specs.isEmpty()) {
            throw new InvalidSourceException("etl.sources", "no source is configured");
        }
        checkPatternsAreDisjoint(specs.values().stream().filter(s -> s.kind() == Kind.CSV).toList());
        return new SourceRegistry(java.util.Collections.unmodifiableMap(specs));
    }

    public List<SourceSpec> all() {
        return List.copyOf(byName.values());
    }

    /** Every source's name, in configuration order. */
    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    /** The sources a run can belong to: every source, and {@link #INBOX}. */
    public List<String> runSources() {
        return Stream.concat(byName.keySet().stream(), Stream.of(INBOX)).toList();
    }

    public List<SourceSpec> csv() {
        return ofKind(Kind.CSV);
    }

    public List<SourceSpec> jsonApi() {
        return ofKind(Kind.JSON_API);
    }

    private List<SourceSpec> ofKind(Kind kind) {
        return byName.values().stream().filter(s -> s.kind() == kind).toList();
    }

    public Optional<SourceSpec> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public SourceSpec get(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("unknown source: " + name));
    }

    private static SourceSpec check(String name, SourceDefinition d) {
        String at = "etl.sources." + name;
        if (!name.matches(NAME) || name.equals(INBOX)) {
            throw new InvalidSourceException(at, "bad source name '" + name + "': it must match " + NAME
                    + " and not be '" + INBOX + "'");
        }
        if (d == null || d.kind() == null || d.kind().isBlank()) {
            throw new InvalidSourceException(at + ".kind", "is required (csv or json-api)");
        }
        Kind kind = Arrays.stream(Kind.values()).filter(k -> k.key().equals(d.kind().trim())).findFirst()
                .orElseThrow(() -> new InvalidSourceException(at + ".kind",
                        "unknown kind '" + d.kind() + "' (expected csv or json-api)"));
        boolean whole = switch (d.attributes() == null ? "unmapped" : d.attributes().trim()) {
            case "unmapped" -> false;
            case "whole" -> true;
            default -> throw new InvalidSourceException(at + ".attributes",
                    "unknown value '" + d.attributes() + "' (expected unmapped or whole)");
        };
        List<FieldSpec> fields = checkFields(at, kind, d.fields());
        boolean enabled = d.enabled() == null || d.enabled();
        if (kind == Kind.CSV) {
            for (String apiOnly : List.of("url", "schedule", "items", "headers", "provider", "paging")) {
                if (apiOnlySet(d, apiOnly)) {
                    throw new InvalidSourceException(at + "." + apiOnly, "is for json-api sources, not csv");
                }
            }
            if (d.files() == null || d.files().isBlank()) {
                throw new InvalidSourceException(at + ".files", "is required for a csv source (e.g. \"orders*.csv\")");
            }
            String files = d.files().trim();
            if (!files.toLowerCase(Locale.ROOT).endsWith(".csv") || files.contains("/") || files.contains("\\")) {
                throw new InvalidSourceException(at + ".files",
                        "'" + d.files() + "' must be a file name glob ending in .csv (the inbox reads *.csv only)");
            }
            return new SourceSpec(name, kind, files, null, fields, whole, enabled);
        }
        if (d.files() != null) {
            throw new InvalidSourceException(at + ".files", "is for csv sources, not json-api");
        }
        return new SourceSpec(name, kind, null, checkApi(at, d), fields, whole, enabled);
    }

    private static boolean apiOnlySet(SourceDefinition d, String property) {
        return switch (property) {
            case "url" -> d.url() != null;
            case "schedule" -> d.schedule() != null;
            case "items" -> d.items() != null;
            case "headers" -> d.headers() != null && !d.headers().isEmpty();
            case "provider" -> d.provider() != null;
            default -> d.paging() != null;
        };
    }

    private static SourceSpec.Api checkApi(String at, SourceDefinition d) {
        if (d.url() == null || d.url().isBlank()) {
            throw new InvalidSourceException(at + ".url", "is required for a json-api source");
        }
        URI url;
        try {
            // A base URL given with a trailing slash must not turn ".../v3/coins" into ".../v3//coins".
            url = new URI(d.url().trim().replaceAll("(?<!:)/{2,}", "/"));
        } catch (URISyntaxException e) {
            throw new InvalidSourceException(at + ".url", "'" + d.url() + "' is not a URL: " + e.getReason());
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
            throw new InvalidSourceException(at + ".url",
                    "'" + d.url() + "' must be an absolute http:// or https:// URL");
        }
        if (d.schedule() == null || d.schedule().isBlank()) {
            throw new InvalidSourceException(at + ".schedule", "is required for a json-api source (a Quartz cron)");
        }
        if (!CronExpression.isValidExpression(d.schedule().trim())) {
            throw new InvalidSourceException(at + ".schedule",
                    "'" + d.schedule() + "' is not a Quartz cron expression (e.g. \"0 0/5 * * * ?\")");
        }
        String items = d.items() == null ? "" : d.items().trim();
        if (!items.isEmpty() && !items.startsWith("/")) {
            throw new InvalidSourceException(at + ".items",
                    "'" + d.items() + "' is not a JSON pointer (\"\" for the body, or e.g. \"/data/items\")");
        }
        String provider = d.provider() == null || d.provider().isBlank() ? null : d.provider().trim();
        if (provider != null && !provider.equals("coingecko")) {
            throw new InvalidSourceException(at + ".provider", "unknown provider '" + d.provider()
                    + "' (expected coingecko, or none)");
        }
        SourceSpec.Paging paging = null;
        if (d.paging() != null) {
            SourceDefinition.Paging p = d.paging();
            if (p.param() == null || p.param().isBlank()) {
                throw new InvalidSourceException(at + ".paging.param", "is required (the page number's query parameter)");
            }
            if (p.size() == null || p.size() < 1) {
                throw new InvalidSourceException(at + ".paging.size", "must be at least 1 (items on a full page)");
            }
            if (p.maxPages() == null || p.maxPages() < 1) {
                throw new InvalidSourceException(at + ".paging.max-pages", "must be at least 1");
            }
            paging = new SourceSpec.Paging(p.param().trim(), p.size(), p.maxPages());
        }
        Duration timeout = d.timeout() == null ? DEFAULT_TIMEOUT : d.timeout();
        if (timeout.isNegative() || timeout.isZero()) {
            throw new InvalidSourceException(at + ".timeout", "must be positive");
        }
        Map<String, String> headers = d.headers() == null ? Map.of() : Map.copyOf(d.headers());
        return new SourceSpec.Api(url, d.schedule().trim(), items, headers, provider, paging, timeout);
    }

    private static List<FieldSpec> checkFields(String at, Kind kind, Map<String, SourceDefinition.Field> fields) {
        if (fields == null || !fields.containsKey("external_id")) {
            throw new InvalidSourceException(at + ".fields.external_id", "is required (where the record's key comes from)");
        }
        List<FieldSpec> checked = new ArrayList<>();
        fields.forEach((key, f) -> {
            String path = at + ".fields." + key;
            UnifiedField target = UnifiedField.of(key).orElseThrow(() -> new InvalidSourceException(path,
                    "unknown field (expected one of " + Arrays.stream(UnifiedField.values()).map(UnifiedField::key)
                            .collect(Collectors.joining(", ")) + ")"));
            checked.add(checkField(path, kind, target, f));
        });
        checked.sort(java.util.Comparator.comparing(FieldSpec::target));
        return List.copyOf(checked);
    }

    private static FieldSpec checkField(String at, Kind kind, UnifiedField target, SourceDefinition.Field f) {
        if (f == null) {
            throw new InvalidSourceException(at, kind == Kind.CSV ? "needs a column" : "needs a path");
        }
        String own = kind == Kind.CSV ? "column" : "path";
        String other = kind == Kind.CSV ? f.path() : f.column();
        if (other != null) {
            throw new InvalidSourceException(at + "." + (kind == Kind.CSV ? "path" : "column"),
                    "is not used by " + kind.key() + " sources; use " + own);
        }
        String from = kind == Kind.CSV ? f.column() : f.path();
        if (from != null && from.isBlank()) {
            from = null;
        }
        if (from != null && f.value() != null) {
            throw new InvalidSourceException(at + ".value", "a field takes its " + own + " or a constant value, not both");
        }
        if (from == null && f.value() == null) {
            throw new InvalidSourceException(at + "." + own, "is required");
        }
        if (target == UnifiedField.EXTERNAL_ID && (Boolean.FALSE.equals(f.required()) || from == null)) {
            throw new InvalidSourceException(at, "external_id is always required and comes from a " + own);
        }
        if (from != null && kind == Kind.CSV) {
            from = from.trim().toLowerCase(Locale.ROOT);
        } else if (from != null) {
            from = from.trim();
        }
        Transform transform = switch (f.transform() == null ? "" : f.transform().trim()) {
            case "" -> Transform.NONE;
            case "lower" -> Transform.LOWER;
            case "upper" -> Transform.UPPER;
            default -> throw new InvalidSourceException(at + ".transform",
                    "unknown transform '" + f.transform() + "' (expected lower or upper)");
        };
        String defaultType = switch (target) {
            case VALUE -> "decimal";
            case EVENT_TIMESTAMP -> "timestamp";
            default -> "text";
        };
        Type type = switch (f.type() == null ? defaultType : f.type().trim()) {
            case "text", "string" -> Type.TEXT;
            case "decimal" -> Type.DECIMAL;
            case "timestamp" -> Type.TIMESTAMP;
            default -> throw new InvalidSourceException(at + ".type",
                    "unknown type '" + f.type() + "' (expected text, decimal or timestamp)");
        };
        if (!type.name().equals(Type.valueOf(defaultType.toUpperCase(Locale.ROOT)).name())) {
            throw new InvalidSourceException(at + ".type", target.key() + " is stored as " + defaultType
                    + ", not " + f.type().trim());
        }
        if (type != Type.DECIMAL && (f.minExclusive() != null || f.minInclusive() != null || f.maxInclusive() != null)) {
            throw new InvalidSourceException(at, "min-exclusive, min-inclusive and max-inclusive need type: decimal");
        }
        if (f.minExclusive() != null && f.minInclusive() != null) {
            throw new InvalidSourceException(at + ".min-inclusive", "give min-exclusive or min-inclusive, not both");
        }
        BigDecimal min = f.minExclusive() != null ? f.minExclusive() : f.minInclusive();
        if (min != null && f.maxInclusive() != null && f.maxInclusive().compareTo(min) < 0) {
            throw new InvalidSourceException(at + ".max-inclusive", "is below the minimum " + min.toPlainString());
        }
        boolean required = from != null && (f.required() == null || f.required());
        String label = from != null ? from : target.key();
        return new FieldSpec(target, from, f.value(), transform, type, required, f.minExclusive(), f.minInclusive(),
                f.maxInclusive(), label);
    }

    /** Two csv sources whose globs can match one file name would race for it. */
    private static void checkPatternsAreDisjoint(List<SourceSpec> csv) {
        for (int i = 0; i < csv.size(); i++) {
            for (int j = i + 1; j < csv.size(); j++) {
                SourceSpec a = csv.get(i);
                SourceSpec b = csv.get(j);
                if (Globs.overlap(a.filePattern(), b.filePattern())) {
                    throw new InvalidSourceException("etl.sources." + b.source() + ".files",
                            "'" + b.filePattern() + "' can match the same file names as etl.sources." + a.source()
                                    + ".files '" + a.filePattern() + "'");
                }
            }
        }
    }
}
