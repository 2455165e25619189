package com.kasparro.etl.support;

/** Generated products and vendors files with a known number of valid and invalid rows. */
public final class Csv {

    private Csv() {
    }

    /**
     * {@code rows} data rows with ids {@code prefix0..}; every {@code invalidEvery}-th row (if > 0)
     * has a non-numeric price and is rejected.
     */
    public static String products(String prefix, int rows, int invalidEvery) {
        StringBuilder text = new StringBuilder(rows * 40).append("product_id,name,category,price,note\n");
        for (int i = 0; i < rows; i++) {
            boolean invalid = invalidEvery > 0 && i % invalidEvery == invalidEvery - 1;
            text.append(prefix).append(i).append(",Item ").append(i).append(",Cat").append(i % 7).append(',')
                    .append(invalid ? "n/a" : Integer.toString(1 + i % 1000)).append(",\"note, ").append(i).append("\"\n");
        }
        return text.toString();
    }

    /** {@code rows} valid vendors rows with ids {@code prefix0..}. */
    public static String vendors(String prefix, int rows) {
        StringBuilder text = new StringBuilder(rows * 30).append("vendor_id,product_name,group,amount\n");
        for (int i = 0; i < rows; i++) {
            text.append(prefix).append(i).append(",Thing ").append(i).append(",Group").append(i % 5).append(',')
                    .append(1 + i % 300).append(".50\n");
        }
        return text.toString();
    }

    /**
     * Valid products rows with ids {@code s<from>..s<to-1>}, every field telling which file they come
     * from: name {@code "<tag> <i>"}, the category, price {@code priceBase + i % 1000}, note {@code tag}.
     * Files with overlapping ranges share keys.
     */
    public static String taggedProducts(String tag, String category, int priceBase, int from, int to) {
        StringBuilder csv = new StringBuilder((to - from) * 30).append("product_id,name,category,price,note\n");
        for (int i = from; i < to; i++) {
            csv.append('s').append(i).append(',').append(tag).append(' ').append(i).append(',').append(category)
                    .append(',').append(priceBase + i % 1000).append(',').append(tag).append('\n');
        }
        return csv.toString();
    }

    /**
     * SQL: a {@code unified_records} row holds the whole {@link #taggedProducts} row of the file with
     * this tag, no field of another file.
     */
    public static String taggedProductsRow(String tag, String category, int priceBase) {
        return "(name = '" + tag + " ' || substr(external_id, 2) AND category = '" + category + "' AND value = "
                + priceBase + " + substr(external_id, 2)::int % 1000 AND attributes->>'note' = '" + tag + "')";
    }

    public static long invalidCount(int rows, int invalidEvery) {
        return invalidEvery > 0 ? rows / invalidEvery : 0;
    }
}
