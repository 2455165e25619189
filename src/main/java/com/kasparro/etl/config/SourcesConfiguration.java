package com.kasparro.etl.config;

import com.kasparro.etl.source.SourceRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The source registry, from the {@code etl.sources} entries: a bad entry stops the start. */
@Configuration(proxyBeanMethods = false)
public class SourcesConfiguration {

    @Bean
    SourceRegistry sourceRegistry(EtlProperties properties) {
        // The built-in coingecko_api entry takes its cron from this setting: name the setting, not the entry.
        QuartzConfiguration.requireCron("etl.coingecko.schedule", properties.coingecko().schedule());
        return SourceRegistry.of(properties.sources());
    }
}
