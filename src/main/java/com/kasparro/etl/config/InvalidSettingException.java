package com.kasparro.etl.config;

/** A setting that binds but cannot work (an unreadable inbox, a bad cron); names the property. */
public class InvalidSettingException extends RuntimeException {

    private final String property;

    public InvalidSettingException(String property, Object value, String reason) {
        super("Invalid setting " + property + "=" + value + ": " + reason);
        this.property = property;
    }

    public String property() {
        return property;
    }
}
