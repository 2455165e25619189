package com.kasparro.etl.store;

import java.sql.Connection;
import java.sql.SQLException;
import org.springframework.jdbc.core.support.AbstractSqlTypeValue;

/** A SQL array built on the statement's own connection (a Java array would be expanded by Spring). */
final class SqlArray extends AbstractSqlTypeValue {

    private final String elementType;
    private final Object[] elements;

    SqlArray(String elementType, Object[] elements) {
        this.elementType = elementType;
        this.elements = elements;
    }

    @Override
    protected Object createTypeValue(Connection connection, int sqlType, String typeName) throws SQLException {
        return connection.createArrayOf(elementType, elements);
    }
}
