package com.kasparro.etl.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.kasparro.etl.support.EtlIntegrationTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.ShutdownStrategy;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The camel.main.* settings of application.yml reach the CamelContext. Camel Spring Boot binds only
 * camel.main.*; a key it does not bind is ignored without a word, and the context then runs with
 * Camel's defaults (name camel-1, 45 s shutdown timeout, no MDC).
 */
@EtlIntegrationTest
class CamelMainSettingsTest {

    @Autowired
    CamelContext camelContext;
    @Autowired
    ShutdownTimeoutAtStart shutdownTimeoutAtStart;
    @LocalServerPort
    int port;

    @Test
    void theContextIsNamedAndItsMetricsCarryTheName() throws Exception {
        assertThat(camelContext.getName()).isEqualTo("kasparro-etl");

        HttpClient http = HttpClient.newHttpClient();
        // One exchange through a REST route, so exchange and route-policy metrics have samples.
        HttpResponse<String> health = http.send(request("/health"), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        String scrape = http.send(request("/actuator/prometheus"), HttpResponse.BodyHandlers.ofString()).body();

        Set<String> contexts = new TreeSet<>();
        Matcher m = Pattern.compile("camelContext=\"([^\"]*)\"").matcher(scrape);
        while (m.find()) {
            contexts.add(m.group(1));
        }
        assertThat(contexts).as("camelContext tags of the Camel metrics").containsExactly("kasparro-etl");
        assertThat(scrape).containsPattern("(?m)^camel_route_policy_seconds_count\\{[^}]*camelContext=\"kasparro-etl\"")
                .containsPattern("(?m)^camel_exchanges_total\\{[^}]*camelContext=\"kasparro-etl\"");
    }

    @Test
    void shutdownWaitsFortySecondsForTheBatchInFlight() {
        assertThat(shutdownTimeoutAtStart.seconds).as("shutdown timeout configured on the context, in seconds")
                .isEqualTo(40);
    }

    @Test
    void mdcLoggingIsOnForTheEtlKeys() {
        assertThat(camelContext.isUseMDCLogging()).isTrue();
        assertThat(camelContext.getMDCLoggingKeysPattern()).isEqualTo("etl.*");
    }

    /**
     * @CamelSpringBootTest sets the context's shutdown timeout to 10 s (or a {@code @ShutdownTimeout})
     * once the application context is loaded; this records the value camel.main configured before that.
     */
    @TestConfiguration(proxyBeanMethods = false)
    static class ShutdownTimeoutAtStart implements CamelContextConfiguration {
        volatile long seconds = -1;

        @Override
        public void beforeApplicationStart(CamelContext context) {
            ShutdownStrategy strategy = context.getShutdownStrategy();
            seconds = strategy.getTimeUnit().toSeconds(strategy.getTimeout());
        }

        @Override
        public void afterApplicationStart(CamelContext context) {
        }
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET().build();
    }
}
