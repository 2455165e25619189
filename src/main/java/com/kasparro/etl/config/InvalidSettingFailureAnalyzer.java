package com.kasparro.etl.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns {@link InvalidSettingException} into Boot's short "APPLICATION FAILED TO START" report. */
class InvalidSettingFailureAnalyzer extends AbstractFailureAnalyzer<InvalidSettingException> {

    @Override
    protected FailureAnalysis analyze(Throwable root, InvalidSettingException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Fix the setting " + cause.property() + " (property, environment variable or --"
                        + cause.property() + "=...) and start again.", cause);
    }
}
