package com.kasparro.etl.source;

import com.kasparro.etl.source.SourceSpec.Kind;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;

/**
 * The one list of sources: routes, validation, metrics and the HTTP API all read it. Runs have one
 * more source, {@link #INBOX}, for files that belong to none.
 */
@Component
public class SourceRegistry {

    /** The source of a run that refused a file matching no source's pattern. */
    public static final String INBOX = "inbox";

    public static final SourceSpec COINGECKO = new SourceSpec("coingecko_api", Kind.JSON_API, null,
            "id", "name", "symbol", null, false, false);
    public static final SourceSpec PRODUCTS = new SourceSpec("products_csv", Kind.CSV, "products*.csv",
            "product_id", "name", "category", "price", true, true);
    public static final SourceSpec VENDORS = new SourceSpec("vendors_csv", Kind.CSV, "vendors*.csv",
            "vendor_id", "product_name", "group", "amount", true, true);

    private final Map<String, SourceSpec> byName;

    public SourceRegistry() {
        this(List.of(COINGECKO, PRODUCTS, VENDORS));
    }

    SourceRegistry(List<SourceSpec> sources) {
        this.byName = sources.stream().collect(Collectors.toMap(SourceSpec::source, Function.identity(),
                (a, b) -> a, java.util.LinkedHashMap::new));
    }

    public List<SourceSpec> all() {
        return List.copyOf(byName.values());
    }

    /** Every source's name, in registry order. */
    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    /** The sources a run can belong to: every source, and {@link #INBOX}. */
    public List<String> runSources() {
        return Stream.concat(byName.keySet().stream(), Stream.of(INBOX)).toList();
    }

    public List<SourceSpec> csv() {
        return byName.values().stream().filter(s -> s.kind() == Kind.CSV).toList();
    }

    public Optional<SourceSpec> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public SourceSpec get(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("unknown source: " + name));
    }
}
