package com.kasparro.etl.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.component.jackson.JacksonDataFormat;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The camel-jackson data format the API routes marshal with ({@code .marshal().custom(ApiJson.FORMAT)}).
 * It wraps Spring's ObjectMapper rather than a mapper of its own, so dates, naming and
 * inclusion are those of the rest of the service and of the JSON the API has always written.
 */
@Configuration(proxyBeanMethods = false)
public class ApiJson {

    public static final String FORMAT = "apiJsonFormat";

    @Bean(FORMAT)
    JacksonDataFormat apiJson(ObjectMapper mapper) {
        // Sets Content-Type: application/json on the message it marshals.
        return new JacksonDataFormat(mapper, Object.class);
    }
}
