package com.kasparro.etl.support;

/** The seed's sample files (contract: products_csv 3 records, vendors_csv 2, two rejections each). */
public final class Samples {

    public static final String PRODUCTS = """
            product_id,name,category,price,extra_col
            1,Phone,Electronics,699,foo
            2,Laptop,ELECTRONICS,1299,bar
            3,Chair,Furniture,not_a_number,baz
            ,Table,Furniture,199,missing_id
            4,Phone,Electronics,699,duplicate
            """;
    public static final String VENDORS = """
            vendor_id,product_name,group,amount
            A1,Desk,FURNITURE,250.50
            A2,Lamp,Furniture,invalid_price
            A3,Mouse,Electronics,29.99
            A4,,Electronics,19.99
            """;

    private Samples() {
    }
}
