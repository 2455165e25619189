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

    public static long invalidCount(int rows, int invalidEvery) {
        return invalidEvery > 0 ? rows / invalidEvery : 0;
    }
}
