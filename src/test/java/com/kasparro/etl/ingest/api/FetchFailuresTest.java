package com.kasparro.etl.ingest.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.util.Map;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

class FetchFailuresTest {

    static HttpOperationFailedException http(int status, String body) {
        return new HttpOperationFailedException("https://api.coingecko.com/api/v3/coins/list", status, "", null,
                Map.of(), body);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "400 | {\"error_code\":10011,\"status\":{\"error_message\":\"use api.coingecko.com\"}} | 10011",
            "401 | {\"status\":{\"error_code\":10010,\"error_message\":\"use pro-api.coingecko.com\"}} | 10010"})
    void aKeyOfTheWrongPlanNamesTheSettingsToChange(int status, String body, String code) {
        String described = FetchFailures.describe(http(status, body));

        assertThat(described).contains("CoinGecko error " + code + ": ").contains("etl.coingecko.base-url")
                .contains("etl.coingecko.api-key");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "400 | {\"error_code\":10002}",
            "403 | {\"error_code\":10011}",
            "401 | not json",
            "401 | ''"})
    void otherClientErrorsAreDescribedByTheirStatusAlone(int status, String body) {
        assertThat(FetchFailures.wrongPlan(http(status, body))).isEmpty();
    }

    @Test
    void theCallBudgetsDatabaseBeingDownIsNotATransientFailureOfTheRequest() {
        Throwable error = new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection",
                new java.sql.SQLException("connection refused", new ConnectException("Connection refused")));

        assertThat(FetchFailures.transientCause(error)).isEmpty();
        assertThat(FetchFailures.transientCause(new ConnectException("Connection refused"))).isPresent();
    }
}
