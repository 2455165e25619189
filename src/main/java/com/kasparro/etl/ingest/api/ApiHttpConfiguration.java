package com.kasparro.etl.ingest.api;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The HttpClient of the json-api endpoints. Its automatic retries (HttpClient 5 retries 429 and
 * 503 once after 1 s, and I/O errors, on its own) are off, so that every retry is Camel's
 * redelivery, with its back-off and its log line.
 *
 * <p>Why an endpoint configurer and not {@code HttpComponent.setAutomaticRetriesDisabled}: the
 * camel-http starter copies its own default ({@code false}) onto the component after a
 * {@code ComponentCustomizer} bean has run (seen in 4.17: two requests per attempt). The
 * configurer runs when the endpoint builds its client, after every component setting.
 */
@Configuration(proxyBeanMethods = false)
public class ApiHttpConfiguration {

    public static final String CLIENT_CONFIGURER = "apiHttpClientConfigurer";

    @Bean(CLIENT_CONFIGURER)
    HttpClientConfigurer apiHttpClientConfigurer() {
        return builder -> builder.disableAutomaticRetries();
    }
}
