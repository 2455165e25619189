package com.kasparro.etl;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class KasparroEtlApplication {

    public static void main(String[] args) {
        SpringApplication.run(KasparroEtlApplication.class, args);
    }
}
