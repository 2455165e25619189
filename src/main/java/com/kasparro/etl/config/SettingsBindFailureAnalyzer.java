package com.kasparro.etl.config;

import java.util.Locale;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.validation.FieldError;

/**
 * Names an invalid {@code etl.*} value the way users set it: Boot's own report names the Java
 * field ({@code etl.coingecko.baseUrl}); this one names the property ({@code etl.coingecko.base-url})
 * and its environment variable ({@code ETL_COINGECKO_BASE_URL}).
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class SettingsBindFailureAnalyzer extends AbstractFailureAnalyzer<BindValidationException> {

    @Override
    protected FailureAnalysis analyze(Throwable root, BindValidationException cause) {
        String errors = cause.getValidationErrors().getAllErrors().stream()
                .map(error -> {
                    if (error instanceof FieldError field) {
                        String property = cause.getValidationErrors().getName() + "." + kebab(field.getField());
                        return "Invalid setting " + property + " [" + envName(property) + "] = '"
                                + field.getRejectedValue() + "': " + field.getDefaultMessage();
                    }
                    return "Invalid settings under " + cause.getValidationErrors().getName() + ": "
                            + error.getDefaultMessage();
                })
                .collect(Collectors.joining("\n"));
        return new FailureAnalysis(errors,
                "Fix the setting (property, environment variable or --name=value) and start again.", cause);
    }

    static String kebab(String fieldPath) {
        return fieldPath.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    static String envName(String property) {
        return property.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
    }
}
