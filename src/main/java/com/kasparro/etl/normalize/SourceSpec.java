package com.kasparro.etl.normalize;

import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * How one source's fields map onto a unified record, and which of them it requires. The column
 * names are the source's own, so that rejection reasons speak the user's language.
 */
public record SourceSpec(
        String source,
        String idField,
        String nameField,
        String categoryField,
        String valueField,
        boolean lowerCaseCategory,
        boolean requireNameCategoryValue) {

    public static final SourceSpec PRODUCTS =
            new SourceSpec("products_csv", "product_id", "name", "category", "price", true, true);
    public static final SourceSpec VENDORS =
            new SourceSpec("vendors_csv", "vendor_id", "product_name", "group", "amount", true, true);
    public static final SourceSpec COINGECKO =
            new SourceSpec("coingecko_api", "id", "name", "symbol", null, false, false);

    public static final List<String> ALL_SOURCES =
            List.of(COINGECKO.source(), PRODUCTS.source(), VENDORS.source());

    /** The columns a file of this source must have in its header. */
    public List<String> requiredColumns() {
        return Stream.of(idField, nameField, categoryField, valueField).filter(Objects::nonNull).toList();
    }

    /** A field that is not mapped onto a unified column goes to {@code attributes}. */
    public boolean isMapped(String column) {
        return requiredColumns().contains(column);
    }
}
