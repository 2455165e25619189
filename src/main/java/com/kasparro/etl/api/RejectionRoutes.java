package com.kasparro.etl.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.kasparro.etl.api.model.Problem;
import com.kasparro.etl.api.model.TriggerAccepted;
import com.kasparro.etl.ingest.replay.ReplayRefusedException;
import com.kasparro.etl.ingest.replay.ReplaySteps;
import com.kasparro.etl.source.SourceRegistry;
import com.kasparro.etl.store.RejectedRows;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestParamType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Rejections, fix and replay: {@code POST /rejections/replay} (admin) loads a source's unresolved
 * rejected rows again against its current configuration as one run with trigger {@code replay};
 * {@code GET /rejections.csv} hands one file's unresolved rows back under the file's header line,
 * to be fixed and dropped into the inbox again.
 */
@Component
public class RejectionRoutes extends RouteBuilder {

    static final String CSV = "text/csv";
    private static final Logger log = LoggerFactory.getLogger(RejectionRoutes.class);
    private static final String SQL = "sql:classpath:sql/api/";
    private static final String RUN = "run";
    private static final String ROWS = "rows";

    private final RequestParameters parameters;
    private final AdminTriggerRoute admin;
    private final ReplaySteps replays;
    private final ObjectMapper json;
    private final List<String> sources;

    public RejectionRoutes(RequestParameters parameters, AdminTriggerRoute admin, ReplaySteps replays, ObjectMapper json,
                           SourceRegistry registry) {
        this.parameters = parameters;
        this.admin = admin;
        this.replays = replays;
        this.json = json;
        this.sources = registry.names();
    }

    @Override
    public void configure() {
        onException(BadParameterException.class).handled(true)
                .process(Problems.withMessage(json, 400, "Bad Request")).id("rejections-bad-parameter");
        onException(NotFoundException.class).handled(true)
                .process(Problems.withMessage(json, 404, "Not Found")).id("rejections-not-found");
        onException(Exception.class).handled(true)
                .process(Problems.unexpected(json, log)).id("rejections-unexpected");

        rest().post("/rejections/replay").routeId("rest-rejections-replay").id("replayRejections")
                .produces(OperabilityRoutes.JSON)
                .description("Loads the unresolved rejected rows of a source (or of one of its runs) again, against the "
                        + "source's current configuration and under their file's header, as one run with trigger "
                        + "'replay' (admin). Rows that now pass go through the normal write path and get "
                        + "resolved_by_run; the others stay unresolved, the replay run keeping their new reason. "
                        + "Needs Authorization: Bearer <etl.admin-token>; answers 404 while no token is configured")
                .param().name("source").type(RestParamType.query).dataType("string").required(true)
                    .allowableValues(sources).description("The source whose rows to replay").endParam()
                .param().name("run_id").type(RestParamType.query).dataType("integer").required(false)
                    .description("Only the rows of this run (a file or a poll of the source)").endParam()
                .param().name("Authorization").type(RestParamType.header).dataType("string").required(true)
                    .description("Bearer <etl.admin-token>").endParam()
                .responseMessage().code(202).message("The replay's run exists and is running")
                    .header("Location").dataType("string").description("/runs/{run_id}").endHeader()
                    .responseModel(TriggerAccepted.class).endResponseMessage()
                .responseMessage().code(400).message("A bad or missing parameter, named in detail")
                    .responseModel(Problem.class).endResponseMessage()
                .responseMessage().code(401).message("Missing or wrong token").responseModel(Problem.class)
                    .endResponseMessage()
                .responseMessage().code(404).message("No admin token configured, or no such run of the source")
                    .responseModel(Problem.class).endResponseMessage()
                .responseMessage().code(409).message("The run kept no header line (loaded before this version), "
                        + "or a replay of the source is already running").responseModel(Problem.class)
                    .endResponseMessage()
                .to("direct:api-rejections-replay");

        rest().get("/rejections.csv").routeId("rest-rejections-csv").id("downloadRejections").produces(CSV)
                .description("The unresolved rejected rows of one file as CSV, under the file's own header line and in "
                        + "line order, exactly as they were in the file: fix them and drop the file into the inbox")
                .param().name("source").type(RestParamType.query).dataType("string").required(true)
                    .allowableValues(sources).description("The file's source").endParam()
                .param().name("run_id").type(RestParamType.query).dataType("integer").required(true)
                    .description("The file's run").endParam()
                .responseMessage().code(200).message("The header line, then one row per unresolved rejected row")
                    .header("Content-Disposition").dataType("string")
                        .description("attachment; filename=\"<file name>-rejected.csv\"").endHeader()
                    .responseModel(String.class).endResponseMessage()
                .responseMessage().code(400).message("A bad or missing parameter, named in detail")
                    .responseModel(Problem.class).endResponseMessage()
                .responseMessage().code(404).message("No such run of the source, or a run without a header line "
                        + "(not a csv file, or loaded before this version)").responseModel(Problem.class)
                    .endResponseMessage()
                .to("direct:api-rejections-csv");

        from("direct:api-rejections-replay").routeId("api-rejections-replay")
                .process(this::replay).id("rejections-replay");

        from("direct:api-rejections-csv").routeId("api-rejections-csv")
                .bean(parameters, "rejectionsCsv").id("rejections-csv-parameters")
                .to(SQL + "rejections-csv-run.sql?outputType=SelectOne&outputHeader=" + RUN).id("rejections-csv-run")
                .filter(header(RUN).isNull())
                    .throwException(NotFoundException.class, "no run ${body[runId]} of source ${body[source]}")
                        .id("rejections-csv-no-run")
                .end()
                .filter(simple("${header." + RUN + "[header_line]} == null"))
                    .throwException(NotFoundException.class, "run ${body[runId]} kept no header line: not a csv file, "
                            + "or loaded before runs kept theirs").id("rejections-csv-no-header")
                .end()
                .to(SQL + "rejections-csv-rows.sql?outputType=SelectList&outputHeader=" + ROWS).id("rejections-csv-rows")
                .process(RejectionRoutes::csv).id("rejections-csv-body");
    }

    private void replay(Exchange exchange) throws Exception {
        if (!admin.admitted(exchange)) {
            return;
        }
        Map<String, Object> p = parameters.replay(exchange.getIn().getHeaders());
        String source = (String) p.get("source");
        long runId;
        try {
            runId = replays.launch(source, (Long) p.get("runId"));
        } catch (ReplayRefusedException e) {
            int status = e.reason() == ReplayRefusedException.Reason.NO_SUCH_RUN ? 404 : 409;
            Problems.problem(exchange, json, status, status == 404 ? "Not Found" : "Conflict", e.getMessage());
            return;
        }
        log.info("{}: replay of rejected rows started as run {} (admin request)", source, runId);
        Problems.respond(exchange, 202, OperabilityRoutes.JSON,
                json.writeValueAsString(new TriggerAccepted(runId, "running")));
        exchange.getMessage().setHeader("Location", "/runs/" + runId);
    }

    /** The header line, then each row's exact text (stored escaped or not), one per line. */
    private static void csv(Exchange exchange) {
        Message message = exchange.getMessage();
        Map<?, ?> run = message.getHeader(RUN, Map.class);
        List<?> rows = message.getHeader(ROWS, List.class);
        StringBuilder csv = new StringBuilder().append(run.get("header_line")).append('\n');
        for (Object row : rows) {
            Map<?, ?> r = (Map<?, ?>) row;
            String raw = (String) r.get("raw_text");
            csv.append(Boolean.TRUE.equals(r.get("raw_text_escaped")) ? RejectedRows.unescapeNul(raw) : raw).append('\n');
        }
        String fileName = downloadName((String) run.get("file_name"));
        Problems.respond(exchange, 200, CSV + "; charset=utf-8", csv.toString());
        message.setHeader("Content-Disposition", "attachment; filename=\"" + fileName + "\"");
    }

    /**
     * {@code orders-2026-12.csv} → {@code orders-2026-12-rejected.csv}: still the source's pattern,
     * so the fixed file can be dropped back as it is. Quotes and control characters become '_'.
     */
    static String downloadName(String fileName) {
        String base = fileName == null ? "rejected" : fileName;
        if (base.toLowerCase(Locale.ROOT).endsWith(".csv")) {
            base = base.substring(0, base.length() - 4);
        }
        return (base + "-rejected.csv").replaceAll("[\"\\\\\\p{Cntrl}]", "_");
    }
}
