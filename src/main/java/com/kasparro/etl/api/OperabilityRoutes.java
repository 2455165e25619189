package com.kasparro.etl.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.kasparro.etl.api.model.DataItem;
import com.kasparro.etl.api.model.DataPage;
import com.kasparro.etl.api.model.Problem;
import com.kasparro.etl.api.model.RecordPage;
import com.kasparro.etl.api.model.RejectionPage;
import com.kasparro.etl.api.model.RunPage;
import com.kasparro.etl.api.model.SnapshotList;
import com.kasparro.etl.source.SourceRegistry;
import com.kasparro.etl.store.OpsQueries;
import com.kasparro.etl.store.OpsQueries.Page;
import com.kasparro.etl.store.RecordView;
import com.kasparro.etl.store.RunView;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestBindingMode;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.RestParamType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The operability API on platform-http (Spring MVC's server): runs, records, schema drift,
 * rejections and the original system's {@code /data}, plus the REST configuration that serves
 * the OpenAPI document of every REST route at {@code /openapi.json}.
 *
 * <p>Binding is off: each step writes its JSON with Spring's ObjectMapper from the types in
 * the {@code api.model} package, the same types the OpenAPI schemas are read from.
 */
@Component
public class OperabilityRoutes extends RouteBuilder {

    static final String JSON = "application/json";
    private static final Pattern CLIENT_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Logger log = LoggerFactory.getLogger(OperabilityRoutes.class);

    private final OpsQueries queries;
    private final ObjectMapper json;

    private final List<String> sourceNames;
    private final List<String> runSources;

    public OperabilityRoutes(OpsQueries queries, ObjectMapper json, SourceRegistry sources) {
        this.sourceNames = sources.names();
        this.runSources = sources.runSources();
        this.queries = queries;
        this.json = json;
    }

    @Override
    public void configure() {
        restConfiguration()
                .component("platform-http")
                .bindingMode(RestBindingMode.off)
                .inlineRoutes(false)
                .apiContextPath("/openapi.json")
                .apiContextRouteId("api-openapi")
                .apiProperty("api.title", "Kasparro ETL")
                .apiProperty("api.version", "1.0")
                .apiProperty("api.description",
                        "CSV inbox and CoinGecko ingestion into PostgreSQL: runs, records, rejections, schema drift");

        onException(BadParameterException.class).handled(true)
                .process(e -> problem(e, 400, "Bad Request")).id("api-bad-parameter");
        onException(NotFoundException.class).handled(true)
                .process(e -> problem(e, 404, "Not Found")).id("api-not-found");
        onException(Exception.class).handled(true)
                .process(this::unexpected).id("api-unexpected");

        RestDefinition rest = rest().description("Operability: runs, records, rejections and schema drift");

        rest.get("/runs").routeId("rest-runs-list").id("listRuns").produces(JSON)
                .description("Runs, newest first: one per file, CoinGecko poll or refused inbox file")
                .param().name("source").type(RestParamType.query).dataType("string").required(false)
                    .allowableValues(runSources).description("Only runs of this source").endParam()
                .param().name("status").type(RestParamType.query).dataType("string").required(false)
                    .allowableValues(RequestParameters.RUN_STATUSES).description("Only runs with this status").endParam()
                .param(limitParam()).param(offsetParam())
                .responseMessage().code(200).message("A page of runs and the number matching the filters")
                    .responseModel(RunPage.class).endResponseMessage()
                .responseMessage().code(400).message("A bad parameter, named in detail")
                    .responseModel(Problem.class).endResponseMessage()
                .to("direct:api-runs-list");

        rest.get("/runs/{id}").routeId("rest-runs-get").id("getRun").produces(JSON)
                .description("One run with its counts, progress (bytes read over file size) and error")
                .param().name("id").type(RestParamType.path).dataType("integer").required(true)
                    .description("The run's id").endParam()
                .responseMessage().code(200).message("The run").responseModel(RunView.class).endResponseMessage()
                .responseMessage().code(400).message("id is not a positive integer")
                    .responseModel(Problem.class).endResponseMessage()
                .responseMessage().code(404).message("No such run").responseModel(Problem.class).endResponseMessage()
                .to("direct:api-runs-get");

        rest.get("/records").routeId("rest-records-list").id("listRecords").produces(JSON)
                .description("Unified records in id order; q searches name and external id, case-insensitively")
                .param().name("source").type(RestParamType.query).dataType("string").required(false)
                    .allowableValues(sourceNames).description("Only records of this source").endParam()
                .param().name("q").type(RestParamType.query).dataType("string").required(false)
                    .description("Text contained in the name or the external id (case-insensitive)").endParam()
                .param(limitParam()).param(offsetParam())
                .responseMessage().code(200).message("A page of records and the number matching the filters")
                    .responseModel(RecordPage.class).endResponseMessage()
                .responseMessage().code(400).message("A bad parameter, named in detail")
                    .responseModel(Problem.class).endResponseMessage()
                .to("direct:api-records-list");

        rest.get("/records/{source}/{external_id}").routeId("rest-records-get").id("getRecord").produces(JSON)
                .description("One record by its source and external id")
                .param().name("source").type(RestParamType.path).dataType("string").required(true)
                    .allowableValues(sourceNames).description("The record's source").endParam()
                .param().name("external_id").type(RestParamType.path).dataType("string").required(true)
                    .description("The record's id in its source").endParam()
                .responseMessage().code(200).message("The record").responseModel(RecordView.class).endResponseMessage()
                .responseMessage().code(400).message("Unknown source").responseModel(Problem.class).endResponseMessage()
                .responseMessage().code(404).message("No such record").responseModel(Problem.class).endResponseMessage()
                .to("direct:api-records-get");

        rest.get("/schema-drift").routeId("rest-schema-drift").id("listSchemaSnapshots").produces(JSON)
                .description("Schema snapshots, newest first: the baseline and each change with its diff")
                .param().name("source").type(RestParamType.query).dataType("string").required(false)
                    .allowableValues(sourceNames).description("Only snapshots of this source").endParam()
                .responseMessage().code(200).message("The snapshots").responseModel(SnapshotList.class).endResponseMessage()
                .responseMessage().code(400).message("A bad parameter, named in detail")
                    .responseModel(Problem.class).endResponseMessage()
                .to("direct:api-schema-drift");

        rest.get("/rejections").routeId("rest-rejections").id("listRejections").produces(JSON)
                .description("Rejected rows in the order they were written, with line number, raw text and reason")
                .param().name("source").type(RestParamType.query).dataType("string").required(false)
                    .allowableValues(sourceNames).description("Only rows of this source").endParam()
                .param().name("run_id").type(RestParamType.query).dataType("integer").required(false)
                    .description("Only rows of this run").endParam()
                .param(limitParam()).param(offsetParam())
                .responseMessage().code(200).message("A page of rejected rows and the number matching the filters")
                    .responseModel(RejectionPage.class).endResponseMessage()
                .responseMessage().code(400).message("A bad parameter, named in detail")
                    .responseModel(Problem.class).endResponseMessage()
                .to("direct:api-rejections");

        rest.get("/data").routeId("rest-data").id("getData").produces(JSON)
                .description("The original system's records endpoint: request id (also the X-Request-Id header), "
                        + "latency and a page of records; event_timestamp is the record's last change")
                .param().name("source").type(RestParamType.query).dataType("string").required(false)
                    .allowableValues(sourceNames).description("Only records of this source").endParam()
                .param(limitParam()).param(offsetParam())
                .param().name("X-Request-Id").type(RestParamType.header).dataType("string").required(false)
                    .description("A request id to reuse (1-128 of A-Z a-z 0-9 . _ : -); otherwise one is made")
                    .endParam()
                .responseMessage().code(200).message("A page of records")
                    .header("X-Request-Id").dataType("string").description("The request's id, as logged").endHeader()
                    .responseModel(DataPage.class).endResponseMessage()
                .responseMessage().code(400).message("A bad parameter, named in detail")
                    .responseModel(Problem.class).endResponseMessage()
                .to("direct:api-data");

        from("direct:api-runs-list").routeId("api-runs-list").process(this::listRuns).id("runs-list");
        from("direct:api-runs-get").routeId("api-runs-get").process(this::getRun).id("runs-get");
        from("direct:api-records-list").routeId("api-records-list").process(this::listRecords).id("records-list");
        from("direct:api-records-get").routeId("api-records-get").process(this::getRecord).id("records-get");
        from("direct:api-schema-drift").routeId("api-schema-drift").process(this::listDrift).id("schema-drift-list");
        from("direct:api-rejections").routeId("api-rejections").process(this::listRejections).id("rejections-list");
        from("direct:api-data").routeId("api-data").process(this::data).id("data-list");
    }

    static org.apache.camel.model.rest.ParamDefinition limitParam() {
        return new org.apache.camel.model.rest.ParamDefinition().name("limit").type(RestParamType.query)
                .dataType("integer").required(false).defaultValue(Integer.toString(RequestParameters.DEFAULT_LIMIT))
                .description("Items per page, 1 to " + RequestParameters.MAX_LIMIT);
    }

    static org.apache.camel.model.rest.ParamDefinition offsetParam() {
        return new org.apache.camel.model.rest.ParamDefinition().name("offset").type(RestParamType.query)
                .dataType("integer").required(false).defaultValue("0").description("Items to skip, 0 or more");
    }

    private void listRuns(Exchange exchange) throws Exception {
        RequestParameters p = new RequestParameters(exchange);
        String source = p.oneOf("source", runSources);
        String status = p.oneOf("status", RequestParameters.RUN_STATUSES);
        int limit = p.limit();
        long offset = p.offset();
        Page<RunView> page = queries.runs(source, status, limit, offset);
        ok(exchange, new RunPage(page.items(), page.total()));
    }

    private void getRun(Exchange exchange) throws Exception {
        long id = new RequestParameters(exchange).id("id", true);
        ok(exchange, queries.run(id).orElseThrow(() -> new NotFoundException("no run with id " + id)));
    }

    private void listRecords(Exchange exchange) throws Exception {
        RequestParameters p = new RequestParameters(exchange);
        String source = p.oneOf("source", sourceNames);
        String q = p.text("q");
        int limit = p.limit();
        long offset = p.offset();
        Page<RecordView> page = queries.records(source, q, limit, offset);
        ok(exchange, new RecordPage(page.items(), page.total()));
    }

    private void getRecord(Exchange exchange) throws Exception {
        RequestParameters p = new RequestParameters(exchange);
        String source = p.oneOf("source", sourceNames);
        String externalId = exchange.getIn().getHeader("external_id", String.class);
        ok(exchange, queries.record(source, externalId).orElseThrow(
                () -> new NotFoundException("no " + source + " record with external_id " + externalId)));
    }

    private void listDrift(Exchange exchange) throws Exception {
        String source = new RequestParameters(exchange).oneOf("source", sourceNames);
        ok(exchange, new SnapshotList(queries.snapshots(source)));
    }

    private void listRejections(Exchange exchange) throws Exception {
        RequestParameters p = new RequestParameters(exchange);
        String source = p.oneOf("source", sourceNames);
        Long runId = p.id("run_id", false);
        int limit = p.limit();
        long offset = p.offset();
        var page = queries.rejections(source, runId, limit, offset);
        ok(exchange, new RejectionPage(page.items(), page.total()));
    }

    /** The original system's {@code /data}: a request id in the body, the header and the log. */
    private void data(Exchange exchange) throws Exception {
        long started = System.nanoTime();
        String clientId = exchange.getIn().getHeader("X-Request-Id", String.class);
        String requestId = clientId != null && CLIENT_REQUEST_ID.matcher(clientId).matches()
                ? clientId : UUID.randomUUID().toString();
        RequestParameters p = new RequestParameters(exchange);
        String source;
        int limit;
        long offset;
        try {
            source = p.oneOf("source", sourceNames);
            limit = p.limit();
            offset = p.offset();
        } catch (BadParameterException e) {
            log.info("GET /data request_id={} rejected: {}", requestId, e.getMessage());
            exchange.setProperty("api.requestId", requestId);
            throw e;
        }
        Page<RecordView> page = queries.records(source, null, limit, offset);
        List<DataItem> items = page.items().stream().map(DataItem::of).toList();
        double latencyMs = Math.round((System.nanoTime() - started) / 10_000.0) / 100.0;
        String body = json.writeValueAsString(new DataPage(requestId, latencyMs, items.size(), page.total(), items));
        Problems.respond(exchange, 200, JSON, body);
        exchange.getMessage().setHeader("X-Request-Id", requestId);
        log.info("GET /data request_id={} source={} limit={} offset={} count={} latency_ms={}",
                requestId, source == null ? "*" : source, limit, offset, items.size(), latencyMs);
    }

    private void ok(Exchange exchange, Object body) throws Exception {
        Problems.respond(exchange, 200, JSON, json.writeValueAsString(body));
    }

    private void problem(Exchange exchange, int status, String title) throws Exception {
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String requestId = exchange.getProperty("api.requestId", String.class);
        Problems.problem(exchange, json, status, title, error == null ? null : error.getMessage());
        if (requestId != null) {
            exchange.getMessage().setHeader("X-Request-Id", requestId);
        }
    }

    private void unexpected(Exchange exchange) throws Exception {
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        log.error("{} {} failed", exchange.getIn().getHeader(Exchange.HTTP_METHOD),
                exchange.getIn().getHeader(Exchange.HTTP_URI), error);
        // The class name only: a message could carry SQL or data, and never a stack trace.
        Problems.problem(exchange, json, 500, "Internal Server Error",
                error == null ? null : error.getClass().getSimpleName());
    }
}
