package com.kasparro.etl.ingest.coingecko;

import com.kasparro.etl.config.EtlProperties;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.spi.ComponentCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The camel-http client of the CoinGecko poll (the service's only outgoing HTTP): every time-out
 * from {@code etl.coingecko.timeout} (the defaults are minutes) and HttpClient's own automatic
 * retries off, so that every retry is Camel's redelivery, and is logged.
 */
@Configuration(proxyBeanMethods = false)
public class CoinGeckoHttpConfiguration {

    @Bean
    ComponentCustomizer coinGeckoHttpClientSettings(EtlProperties properties) {
        long timeout = properties.coingecko().timeout().toMillis();
        return ComponentCustomizer.forType(HttpComponent.class, http -> {
            http.setConnectTimeout(timeout);
            http.setSoTimeout(timeout);
            http.setResponseTimeout(timeout);
            http.setConnectionRequestTimeout(timeout);
            http.setAutomaticRetriesDisabled(true);
        });
    }
}
