package com.kasparro.etl.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.kasparro.etl.support.EtlIntegrationTest;
import com.kasparro.etl.support.ServiceTestSupport;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

/**
 * etl.http.max-request-body: one byte over the limit is 413 problem+json, whether the body declares
 * its length or comes chunked; a body at the limit goes through, whole, to the route.
 */
@EtlIntegrationTest
@Import(RequestBodyLimitTest.EchoRoute.class)
@TestPropertySource(properties = "etl.http.max-request-body=" + RequestBodyLimitTest.LIMIT + "B")
class RequestBodyLimitTest extends ServiceTestSupport {

    static final int LIMIT = 64;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    ApiClient api;

    @BeforeEach
    void setUp() {
        api = new ApiClient(port, json);
    }

    @Test
    void aDeclaredBodyOneByteOverTheLimitIs413() throws Exception {
        api.problem(post("/runs/coingecko", body(LIMIT + 1), true), 413);
    }

    @Test
    void aChunkedBodyOneByteOverTheLimitIs413() throws Exception {
        HttpResponse<String> response = post("/runs/coingecko", body(LIMIT + 1), false);
        assertThat(api.problem(response, 413).get("detail").asText()).contains("etl.http.max-request-body");
    }

    @Test
    void aBodyAtTheLimitReachesTheRoute() throws Exception {
        // No admin token here: the trigger answers its own 404, not 413.
        api.problem(post("/runs/coingecko", body(LIMIT), true), 404);
        api.problem(post("/runs/coingecko", body(LIMIT), false), 404);
    }

    @Test
    void aChunkedBodyAtTheLimitArrivesWhole() throws Exception {
        String body = body(LIMIT);
        for (boolean declared : new boolean[] {true, false}) {
            HttpResponse<String> response = post("/test-echo", body, declared);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(body);
        }
    }

    HttpResponse<String> post(String path, String body, boolean declaredLength) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpRequest.BodyPublisher publisher = declaredLength
                ? HttpRequest.BodyPublishers.ofByteArray(bytes)
                // Unknown length: sent with Transfer-Encoding: chunked.
                : HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Content-Type", "text/plain").POST(publisher).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static String body(int length) {
        return "x".repeat(length);
    }

    /** A route that answers with the body it was given. */
    @TestConfiguration
    static class EchoRoute {
        @Bean
        RouteBuilder echo() {
            return new RouteBuilder() {
                @Override
                public void configure() {
                    from("platform-http:/test-echo?httpMethodRestrict=POST").routeId("test-echo")
                            .convertBodyTo(String.class);
                }
            };
        }
    }
}
