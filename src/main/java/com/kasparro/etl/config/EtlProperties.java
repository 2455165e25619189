package com.kasparro.etl.config;

import com.kasparro.etl.source.SourceDefinition;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Every {@code etl.*} setting of the contract. Bean Validation makes a bad value stop the start
 * with Boot's "Binding to target ... failed" report, which names the property.
 */
@Validated
@ConfigurationProperties(prefix = "etl")
public record EtlProperties(
        @Valid @NotNull @DefaultValue Inbox inbox,
        @Valid @NotNull @DefaultValue CoinGecko coingecko,
        @Valid @NotNull @DefaultValue Retry retry,
        @Min(1) @Max(100_000) @DefaultValue("1000") int batchSize,
        // How often a long input logs its progress line (rows, percent, rows/s, ETA).
        @NotNull @DurationMin(millis = 1) @DefaultValue("10s") Duration progressLogInterval,
        String adminToken,
        @Valid @NotNull @DefaultValue EmbeddedDb embeddedDb,
        @Valid @NotNull @DefaultValue Http http,
        // Checked as a whole by SourceRegistry.of (paths, kinds, overlapping patterns), which names
        // the property at fault; Bean Validation cannot see across entries.
        Map<String, SourceDefinition> sources) {

    public record Inbox(
            @NotBlank @DefaultValue("./inbox") String dir,
            @NotBlank @DefaultValue("0/1 * * * * ?") String pollSchedule,
            @DurationMin(millis = 10) @DefaultValue("500ms") Duration readLockCheckInterval,
            @DurationMin(millis = 0) @DefaultValue("1s") Duration readLockMinAge,
            @DurationMin(millis = 100) @DefaultValue("10m") Duration readLockTimeout,
            // A file whose header line or column count is past these goes to .error/ unread.
            @NotNull @DefaultValue("64KB") DataSize maxHeaderLength,
            @Min(1) @Max(100_000) @DefaultValue("1000") int maxColumns,
            // A replica holds its claim on a file while it renews it (every third of this); a replica
            // that dies loses it after this long, and another takes the file over.
            @NotNull @DurationMin(seconds = 3) @DefaultValue("30s") Duration claimLease,
            // The lanes a file is written in at once, one connection each (a row's lane follows from its key).
            @Min(1) @Max(8) @DefaultValue("3") int writersPerFile) {

        public Path path() {
            return Path.of(dir).toAbsolutePath().normalize();
        }

        /** How often a replica renews its claims: three times a lease, so one late renewal costs nothing. */
        public Duration claimRenewInterval() {
            return claimLease.dividedBy(3);
        }
    }

    public record CoinGecko(
            @DefaultValue("true") boolean enabled,
            @NotBlank
            @Pattern(regexp = "(?i)https?://[^\\s/?#]+(:\\d+)?(/\\S*)?",
                    message = "must be an absolute http:// or https:// URL")
            @DefaultValue("https://api.coingecko.com/api/v3") String baseUrl,
            String apiKey,
            @NotBlank @DefaultValue("0 0/5 * * * ?") String schedule,
            @NotNull @DurationMin(millis = 1) @DefaultValue("30s") Duration timeout,
            @NotNull @DurationMin(millis = 0) @DefaultValue("5s") Duration startupDelay,
            // The call budget of every CoinGecko request of every replica, errors and retries
            // included: requests in any 60 s, and per calendar month (UTC; 0: no monthly cap).
            @Min(1) @Max(100_000) @DefaultValue("10") int callsPerMinute,
            @Min(0) @DefaultValue("0") long callsPerMonth,
            @Valid @NotNull @DefaultValue Markets markets) {

        /** The {@code /coins/markets} source: prices, market caps and volumes. */
        public record Markets(
                @DefaultValue("true") boolean enabled,
                @NotBlank @Pattern(regexp = "[a-z0-9_-]{1,32}", message = "must be a CoinGecko vs-currency such as usd")
                @DefaultValue("usd") String vsCurrency,
                // Pages of 250 coins by market cap; a short page ends the paging sooner.
                @Min(1) @Max(100) @DefaultValue("4") int pages,
                @NotBlank @DefaultValue("0 0/10 * * * ?") String schedule) {
        }

        /** The pro API lives on its own host and wants its own key header. */
        public String apiKeyHeader() {
            String host = URI.create(baseUrl.trim()).getHost();
            return host != null && host.toLowerCase().startsWith("pro-api.")
                    ? "x-cg-pro-api-key" : "x-cg-demo-api-key";
        }

        public boolean hasApiKey() {
            return apiKey != null && !apiKey.isBlank();
        }
    }

    public record Retry(
            @Min(0) @Max(1000) @DefaultValue("4") int maxAttempts,
            @NotNull @DurationMin(millis = 0) @DefaultValue("1s") Duration initialDelay,
            @DecimalMin("1.0") @DefaultValue("2") double multiplier,
            @NotNull @DurationMin(millis = 1) @DefaultValue("60s") Duration maxDelay) {

        /** Exponential back-off before retry {@code attempt} (1-based), capped at max-delay. */
        public Duration backoff(int attempt) {
            double millis = initialDelay.toMillis() * Math.pow(multiplier, Math.max(0, attempt - 1));
            return Duration.ofMillis((long) Math.min(millis, maxDelay.toMillis()));
        }
    }

    /** The PostgreSQL started in-process when {@code spring.datasource.url} is not set. */
    public record EmbeddedDb(
            @NotBlank @DefaultValue("./data/postgres") String dataDir,
            // 0: a free port, written to <data-dir>.owner, so that two checkouts never share one.
            @Min(0) @Max(65535) @DefaultValue("0") int port) {
    }

    /** Limits on what comes in over HTTP. */
    public record Http(
            // A larger request body is refused with 413 before any route reads it.
            @NotNull @DefaultValue("10MB") DataSize maxRequestBody) {
    }

    public boolean adminTokenSet() {
        return adminToken != null && !adminToken.isBlank();
    }
}
