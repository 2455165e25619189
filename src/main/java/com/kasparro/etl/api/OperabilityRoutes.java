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
import com.kasparro.etl.store.RecordView;
import com.kasparro.etl.store.RejectionView;
import com.kasparro.etl.store.RunView;
import com.kasparro.etl.store.SnapshotView;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.Message;
import org.apache.camel.Processor;
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
 * <p>Each read route shows its storage: checked parameters ({@link RequestParameters}) as the
 * Map body, then {@code sql:classpath:sql/api/*.sql} endpoints with {@code :#name} parameters,
 * the rows as view records ({@link ViewRows}), and camel-jackson ({@link ApiJson}) for the JSON.
 * Binding is off: the routes marshal the types of the {@code api.model} package themselves, the
 * same types the OpenAPI schemas are read from.
 */
@Component
public class OperabilityRoutes extends RouteBuilder {

    static final String JSON = "application/json";
    private static final Pattern CLIENT_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Logger log = LoggerFactory.getLogger(OperabilityRoutes.class);
    static final String SQL = "sql:classpath:sql/api/";
    /** Where a count query leaves the number of rows matching the filters. */
    private static final String TOTAL = "total";
    /** Where a lookup by key leaves its row, null when there is none. */
    private static final String FOUND = "found";
    private static final String ROWS = "rows";
    private static final String REQUEST_ID = "apiRequestId";
    private static final String STARTED = "apiStarted";

    private final ObjectMapper json;
    private final RequestParameters parameters;
    private final List<String> sources;
    private final List<String> runSources;

    public OperabilityRoutes(ObjectMapper json, RequestParameters parameters, SourceRegistry registry) {
        this.json = json;
        this.parameters = parameters;
        this.sources = registry.names();
        this.runSources = registry.runSources();
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
                .process(Problems.unexpected(json, log)).id("api-unexpected");

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
                    .allowableValues(sources).description("Only records of this source").endParam()
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
                    .allowableValues(sources).description("The record's source").endParam()
                .param().name("external_id").type(RestParamType.path).dataType("string").required(true)
                    .description("The record's id in its source").endParam()
                .responseMessage().code(200).message("The record").responseModel(RecordView.class).endResponseMessage()
                .responseMessage().code(400).message("Unknown source").responseModel(Problem.class).endResponseMessage()
                .responseMessage().code(404).message("No such record").responseModel(Problem.class).endResponseMessage()
                .to("direct:api-records-get");

        rest.get("/schema-drift").routeId("rest-schema-drift").id("listSchemaSnapshots").produces(JSON)
                .description("Schema snapshots, newest first: the baseline and each change with its diff")
                .param().name("source").type(RestParamType.query).dataType("string").required(false)
                    .allowableValues(sources).description("Only snapshots of this source").endParam()
                .responseMessage().code(200).message("The snapshots").responseModel(SnapshotList.class).endResponseMessage()
                .responseMessage().code(400).message("A bad parameter, named in detail")
                    .responseModel(Problem.class).endResponseMessage()
                .to("direct:api-schema-drift");

        rest.get("/rejections").routeId("rest-rejections").id("listRejections").produces(JSON)
                .description("Rejected rows in the order they were written, with line number, raw text, reason and the "
                        + "run that loaded the row since (resolved_by_run, null until then)")
                .param().name("source").type(RestParamType.query).dataType("string").required(false)
                    .allowableValues(sources).description("Only rows of this source").endParam()
                .param().name("run_id").type(RestParamType.query).dataType("integer").required(false)
                    .description("Only rows of this run").endParam()
                .param().name("resolved").type(RestParamType.query).dataType("boolean").required(false)
                    .allowableValues("true", "false")
                    .description("true: only rows a later run (a replay) loaded; false: only rows still to fix")
                    .endParam()
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
                    .allowableValues(sources).description("Only records of this source").endParam()
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

        from("direct:api-runs-list").routeId("api-runs-list")
                .bean(parameters, "runs").id("runs-parameters")
                .to(count("runs-count.sql")).id("runs-count")
                .to(list("runs-list.sql", RunView.class)).id("runs-select")
                .process(page(RunPage::new)).id("runs-page")
                .removeHeaders("*").id("runs-headers")
                .marshal().custom(ApiJson.FORMAT).id("runs-json");

        from("direct:api-runs-get").routeId("api-runs-get")
                .bean(parameters, "run").id("runs-get-parameters")
                .to(one("run-find.sql", RunView.class, FOUND)).id("runs-get-select")
                .filter(header(FOUND).isNull())
                    .throwException(NotFoundException.class, "no run with id ${body[id]}").id("runs-get-missing")
                .end()
                .setBody(header(FOUND)).id("runs-get-found")
                .removeHeaders("*").id("runs-get-headers")
                .marshal().custom(ApiJson.FORMAT).id("runs-get-json");

        // Without a text search the total is read from source_stats (exact, kept by the merge), so
        // paging through millions of records never counts them.
        from("direct:api-records-list").routeId("api-records-list")
                .bean(parameters, "records").id("records-parameters")
                .choice().id("records-total-or-count")
                    .when(simple("${body[pattern]} == null"))
                        .to(count("records-total.sql")).id("records-total")
                    .otherwise()
                        .to(count("records-count.sql")).id("records-count")
                .end()
                .to(list("records-list.sql", RecordView.class)).id("records-select")
                .process(page(RecordPage::new)).id("records-page")
                .removeHeaders("*").id("records-headers")
                .marshal().custom(ApiJson.FORMAT).id("records-json");

        from("direct:api-records-get").routeId("api-records-get")
                .bean(parameters, "record").id("records-get-parameters")
                .to(one("record-find.sql", RecordView.class, FOUND)).id("records-get-select")
                .filter(header(FOUND).isNull())
                    .throwException(NotFoundException.class,
                            "no ${body[source]} record with external_id ${body[externalId]}").id("records-get-missing")
                .end()
                .setBody(header(FOUND)).id("records-get-found")
                .removeHeaders("*").id("records-get-headers")
                .marshal().custom(ApiJson.FORMAT).id("records-get-json");

        from("direct:api-schema-drift").routeId("api-schema-drift")
                .bean(parameters, "snapshots").id("schema-drift-parameters")
                .to(list("drift-list.sql", SnapshotView.class)).id("schema-drift-select")
                .process(items(SnapshotList::new)).id("schema-drift-list")
                .removeHeaders("*").id("schema-drift-headers")
                .marshal().custom(ApiJson.FORMAT).id("schema-drift-json");

        from("direct:api-rejections").routeId("api-rejections")
                .bean(parameters, "rejections").id("rejections-parameters")
                .to(count("rejections-count.sql")).id("rejections-count")
                .to(list("rejections-list.sql", RejectionView.class)).id("rejections-select")
                .process(page(RejectionPage::new)).id("rejections-page")
                .removeHeaders("*").id("rejections-headers")
                .marshal().custom(ApiJson.FORMAT).id("rejections-json");

        // The original system's /data: a request id in the body, the X-Request-Id header and the log.
        // The records stay in a header so that the page step still has the parameters to log.
        from("direct:api-data").routeId("api-data")
                .onException(BadParameterException.class).handled(true)
                    .log(LoggingLevel.INFO, log, "GET /data request_id=${exchangeProperty." + REQUEST_ID
                            + "} rejected: ${exception.message}").id("data-rejected-log")
                    .process(e -> problem(e, 400, "Bad Request")).id("data-bad-parameter")
                .end()
                .process(OperabilityRoutes::requestId).id("data-request-id")
                .bean(parameters, "data").id("data-parameters")
                .to(count("records-total.sql")).id("data-total")
                .to(list("records-list.sql", RecordView.class, ROWS)).id("data-select")
                .process(OperabilityRoutes::dataPage).id("data-page")
                .removeHeaders("*").id("data-headers")
                .setHeader("X-Request-Id", exchangeProperty(REQUEST_ID)).id("data-request-id-header")
                .marshal().custom(ApiJson.FORMAT).id("data-json");
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

    /**
     * A camel-sql endpoint on {@code sql/api/<file>} whose rows become {@code view} records in the
     * body (see {@link ViewRows}); its {@code :#name} parameters come from the Map body.
     */
    static String list(String file, Class<?> view) {
        return SQL + file + "?outputType=SelectList" + mappedTo(view);
    }

    /** As {@link #list(String, Class)}, the rows kept in {@code header}: the body keeps the parameters. */
    static String list(String file, Class<?> view, String header) {
        return list(file, view) + "&outputHeader=" + header;
    }

    /** One row as a {@code view} record, or null, kept in {@code header}: the body keeps the parameters. */
    private static String one(String file, Class<?> view, String header) {
        return SQL + file + "?outputType=SelectOne" + mappedTo(view) + "&outputHeader=" + header;
    }

    /** A count kept in the {@link #TOTAL} header: the body keeps the parameters for the rows' query. */
    private static String count(String file) {
        return SQL + file + "?outputType=SelectOne&outputHeader=" + TOTAL;
    }

    private static String mappedTo(Class<?> view) {
        return "&outputClass=" + view.getName() + "&rowMapperFactory=#" + ViewRows.BEAN;
    }

    /** The rows in the body and the {@link #TOTAL} header as one page of the API. */
    private static <T> Processor page(BiFunction<List<T>, Long, Object> page) {
        return exchange -> {
            Message message = exchange.getMessage();
            message.setBody(page.apply(rows(message.getBody(List.class)), message.getHeader(TOTAL, Long.class)));
        };
    }

    /** The rows in the body as an unpaged list of the API. */
    private static <T> Processor items(Function<List<T>, Object> list) {
        return exchange -> exchange.getMessage().setBody(list.apply(rows(exchange.getMessage().getBody(List.class))));
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> rows(List<?> rows) {
        // The endpoint's outputClass made every row a T.
        return (List<T>) rows;
    }

    private static void requestId(Exchange exchange) {
        exchange.setProperty(STARTED, System.nanoTime());
        String clientId = exchange.getIn().getHeader("X-Request-Id", String.class);
        exchange.setProperty(REQUEST_ID, clientId != null && CLIENT_REQUEST_ID.matcher(clientId).matches()
                ? clientId : UUID.randomUUID().toString());
    }

    /** The records of {@code /data} in the original system's shape, logged with the request's id. */
    private static void dataPage(Exchange exchange) {
        Message message = exchange.getMessage();
        Map<?, ?> parameters = message.getBody(Map.class);
        List<RecordView> records = rows(message.getHeader(ROWS, List.class));
        List<DataItem> items = records.stream().map(DataItem::of).toList();
        long started = exchange.getProperty(STARTED, Long.class);
        double latencyMs = Math.round((System.nanoTime() - started) / 10_000.0) / 100.0;
        String requestId = exchange.getProperty(REQUEST_ID, String.class);
        message.setBody(new DataPage(requestId, latencyMs, items.size(), message.getHeader(TOTAL, Long.class), items));
        Object source = parameters.get("source");
        log.info("GET /data request_id={} source={} limit={} offset={} count={} latency_ms={}",
                requestId, source == null ? "*" : source, parameters.get("limit"), parameters.get("offset"),
                items.size(), latencyMs);
    }

    private void problem(Exchange exchange, int status, String title) throws Exception {
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String requestId = exchange.getProperty(REQUEST_ID, String.class);
        Problems.problem(exchange, json, status, title, error == null ? null : error.getMessage());
        if (requestId != null) {
            exchange.getMessage().setHeader("X-Request-Id", requestId);
        }
    }
}
