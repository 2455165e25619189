package com.kasparro.etl.config;

import com.kasparro.etl.source.InvalidSourceException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a bad {@code etl.sources} entry into Boot's short report: one line naming the property path. */
class InvalidSourceFailureAnalyzer extends AbstractFailureAnalyzer<InvalidSourceException> {

    @Override
    protected FailureAnalysis analyze(Throwable root, InvalidSourceException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Fix " + cause.property() + " in the source configuration (application.yml, config/application.yml"
                        + " or another Spring config location) and start again.", cause);
    }
}
