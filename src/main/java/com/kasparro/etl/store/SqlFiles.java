package com.kasparro.etl.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.springframework.core.io.ClassPathResource;

/** Reads the statements kept in {@code src/main/resources/sql/}. */
public final class SqlFiles {

    private SqlFiles() {
    }

    public static String load(String name) {
        try {
            return new ClassPathResource("sql/" + name).getContentAsString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Missing SQL file sql/" + name, e);
        }
    }
}
