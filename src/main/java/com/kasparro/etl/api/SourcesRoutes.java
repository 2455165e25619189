package com.kasparro.etl.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.kasparro.etl.api.model.DryRunResult;
import com.kasparro.etl.api.model.Problem;
import com.kasparro.etl.api.model.SourceView;
import com.kasparro.etl.ingest.DryRun;
import com.kasparro.etl.source.SourceRegistry;
import com.kasparro.etl.source.SourceSpec;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestParamType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * {@code GET /sources}: the configured sources; {@code POST /sources/{name}/dry-run}: what an input
 * would do, through the source's own reader and the shared validation, writing nothing.
 */
@Component
public class SourcesRoutes extends RouteBuilder {

    private static final Logger log = LoggerFactory.getLogger(SourcesRoutes.class);

    private final SourceRegistry sources;
    private final DryRun dryRun;
    private final ObjectMapper json;

    public SourcesRoutes(SourceRegistry sources, DryRun dryRun, ObjectMapper json) {
        this.sources = sources;
        this.dryRun = dryRun;
        this.json = json;
    }

    @Override
    public void configure() {
        onException(NotFoundException.class).handled(true)
                .process(exchange -> Problems.problem(exchange, json, 404, "Not Found",
                        exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class).getMessage()))
                .id("sources-not-found");
        onException(Exception.class).handled(true)
                .process(Problems.unexpected(json, log)).id("sources-unexpected");

        rest().get("/sources").routeId("rest-sources-list").id("listSources").produces(OperabilityRoutes.JSON)
                .description("The configured sources (etl.sources): kind, file pattern or URL, schedule and fields; "
                        + "header names only, never their values")
                .responseMessage().code(200).message("Every source, in configuration order")
                    .responseModel(SourceView[].class).endResponseMessage()
                .to("direct:api-sources-list");

        rest().post("/sources/{name}/dry-run").routeId("rest-sources-dry-run").id("dryRunSource")
                .consumes("text/csv,application/json").produces(OperabilityRoutes.JSON)
                .description("What dropping this CSV file (or, for a json-api source, polling this JSON payload) would "
                        + "do: counts, the first " + DryRun.PREVIEW + " mapped records, every rejection. Writes nothing.")
                .param().name("name").type(RestParamType.path).dataType("string").required(true)
                    .allowableValues(sources.names()).description("The source").endParam()
                .param().name("body").type(RestParamType.body).required(true)
                    .description("The file's bytes (text/csv), or the payload (application/json)").endParam()
                .responseMessage().code(200).message("The outcome; 'refused' says why the whole input would be refused")
                    .responseModel(DryRunResult.class).endResponseMessage()
                .responseMessage().code(404).message("No such source").responseModel(Problem.class).endResponseMessage()
                .responseMessage().code(413).message("The body is larger than etl.http.max-request-body")
                    .responseModel(Problem.class).endResponseMessage()
                .to("direct:api-sources-dry-run");

        from("direct:api-sources-list").routeId("api-sources-list")
                .setBody(exchange -> sources.all().stream().map(SourceView::of).toList()).id("sources-view")
                .marshal().custom(ApiJson.FORMAT).id("sources-json");

        from("direct:api-sources-dry-run").routeId("api-sources-dry-run")
                .process(exchange -> {
                    SourceSpec source = source(exchange.getIn().getHeader("name", String.class));
                    byte[] body = exchange.getIn().getBody(byte[].class);
                    exchange.getIn().setBody(DryRunResult.of(dryRun.of(source, body == null ? new byte[0] : body)));
                }).id("dry-run")
                .removeHeaders("*")
                .marshal().custom(ApiJson.FORMAT).id("dry-run-json");
    }

    private SourceSpec source(String name) {
        return sources.find(name).orElseThrow(() -> new NotFoundException("no source named " + name
                + " (GET /sources lists them)"));
    }
}
