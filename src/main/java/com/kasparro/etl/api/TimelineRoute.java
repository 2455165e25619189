package com.kasparro.etl.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.kasparro.etl.api.model.Problem;
import com.kasparro.etl.api.model.Timeline;
import com.kasparro.etl.api.model.TimelinePoint;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestParamType;
import org.springframework.stereotype.Component;

/**
 * {@code GET /stats/timeline}: runs and records loaded per source and time bucket, the data of the
 * status page's chart. Built as the other read routes are: checked parameters as the Map body, a
 * {@code sql:classpath:sql/api/} endpoint, view records, camel-jackson.
 */
@Component
public class TimelineRoute extends RouteBuilder {

    private final ObjectMapper json;
    private final RequestParameters parameters;

    public TimelineRoute(ObjectMapper json, RequestParameters parameters) {
        this.json = json;
        this.parameters = parameters;
    }

    @Override
    public void configure() {
        onException(BadParameterException.class).handled(true)
                .process(e -> Problems.problem(e, json, 400, "Bad Request",
                        e.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class).getMessage()))
                .id("timeline-bad-parameter");
        onException(Exception.class).handled(true)
                .process(Problems.responder(json, 503, "Timeline unavailable")).id("timeline-problem");

        rest().get("/stats/timeline").routeId("rest-stats-timeline").id("getTimeline").produces(OperabilityRoutes.JSON)
                .description("Runs started and records loaded (inserted or updated) per source and time bucket, "
                        + "over the last buckets up to now, oldest first; buckets without a run are absent")
                .param().name("bucket").type(RestParamType.query).dataType("string").required(false)
                    .allowableValues(RequestParameters.TIMELINE_BUCKETS).defaultValue("hour")
                    .description("The width of one bucket").endParam()
                .param().name("buckets").type(RestParamType.query).dataType("integer").required(false)
                    .defaultValue(Integer.toString(RequestParameters.DEFAULT_BUCKETS))
                    .description("How many buckets back from now, 1 to " + RequestParameters.MAX_LIMIT).endParam()
                .responseMessage().code(200).message("The points, per source and bucket")
                    .responseModel(Timeline.class).endResponseMessage()
                .responseMessage().code(400).message("A bad parameter, named in detail")
                    .responseModel(Problem.class).endResponseMessage()
                .to("direct:api-stats-timeline");

        from("direct:api-stats-timeline").routeId("api-stats-timeline")
                .bean(parameters, "timeline").id("timeline-parameters")
                .setProperty("timelineParameters", body()).id("timeline-keep-parameters")
                .to(OperabilityRoutes.list("runs-timeline.sql", TimelinePoint.class)).id("timeline-select")
                .process(TimelineRoute::timeline).id("timeline-report")
                .removeHeaders("*").id("timeline-headers")
                .marshal().custom(ApiJson.FORMAT).id("timeline-json");
    }

    @SuppressWarnings("unchecked")
    private static void timeline(Exchange exchange) {
        Message message = exchange.getMessage();
        Map<String, Object> parameters = exchange.getProperty("timelineParameters", Map.class);
        // The endpoint's outputClass made every row a TimelinePoint.
        List<TimelinePoint> points = message.getBody(List.class);
        message.setBody(new Timeline((String) parameters.get("bucket"), (Integer) parameters.get("buckets"), points));
    }
}
