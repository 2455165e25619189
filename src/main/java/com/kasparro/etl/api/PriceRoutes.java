package com.kasparro.etl.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.kasparro.etl.api.model.PriceHistoryPage;
import com.kasparro.etl.api.model.Problem;
import com.kasparro.etl.store.PriceView;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestParamType;
import org.springframework.stereotype.Component;

/**
 * {@code GET /prices/{coin_id}}: a coin's price history ({@code price_snapshots}), oldest first,
 * as the other read routes do it: checked parameters ({@link PriceParameters}) as the Map body,
 * {@code sql:classpath:sql/api/prices-*.sql}, view records, camel-jackson. A coin and currency
 * with no history at all is a 404; a range with no points in a known history is an empty list.
 */
@Component
public class PriceRoutes extends RouteBuilder {

    private static final String ROWS = "rows";
    private static final String KNOWN = "known";

    private final ObjectMapper json;
    private final PriceParameters parameters;

    public PriceRoutes(ObjectMapper json, PriceParameters parameters) {
        this.json = json;
        this.parameters = parameters;
    }

    @Override
    public void configure() {
        onException(BadParameterException.class).handled(true)
                .process(e -> problem(e, 400, "Bad Request")).id("prices-bad-parameter");
        onException(NotFoundException.class).handled(true)
                .process(e -> problem(e, 404, "Not Found")).id("prices-not-found");
        onException(Exception.class).handled(true)
                .log(LoggingLevel.ERROR, "GET /prices failed: ${exception}").id("prices-unexpected-log")
                .process(Problems.responder(json, 500, "Internal Server Error")).id("prices-unexpected");

        rest().description("Price history of the CoinGecko markets source")
                .get("/prices/{coin_id}").routeId("rest-prices").id("getPrices").produces(OperabilityRoutes.JSON)
                .description("A coin's price history in one currency, oldest first: one point per CoinGecko "
                        + "last_updated; at most limit points, next_from asks for the rest")
                .param().name("coin_id").type(RestParamType.path).dataType("string").required(true)
                    .description("CoinGecko's coin id, e.g. bitcoin").endParam()
                .param().name("vs_currency").type(RestParamType.query).dataType("string").required(false)
                    .description("The currency of the prices; default etl.coingecko.markets.vs-currency").endParam()
                .param().name("from").type(RestParamType.query).dataType("string").required(false)
                    .description("Points updated at or after this ISO-8601 instant, e.g. 2026-12-01T00:00:00Z")
                    .endParam()
                .param().name("to").type(RestParamType.query).dataType("string").required(false)
                    .description("Points updated before this ISO-8601 instant").endParam()
                .param().name("limit").type(RestParamType.query).dataType("integer").required(false)
                    .defaultValue(Integer.toString(PriceParameters.DEFAULT_LIMIT))
                    .description("Points per answer, 1 to " + PriceParameters.MAX_LIMIT).endParam()
                .responseMessage().code(200).message("The points in the range, oldest first")
                    .responseModel(PriceHistoryPage.class).endResponseMessage()
                .responseMessage().code(400).message("A bad parameter, named in detail")
                    .responseModel(Problem.class).endResponseMessage()
                .responseMessage().code(404).message("No price history of this coin in this currency")
                    .responseModel(Problem.class).endResponseMessage()
                .to("direct:api-prices");

        from("direct:api-prices").routeId("api-prices")
                .bean(parameters, "prices").id("prices-parameters")
                .to(OperabilityRoutes.list("prices-list.sql", PriceView.class, ROWS)).id("prices-select")
                .filter(e -> rows(e.getMessage()).isEmpty())
                    .to(OperabilityRoutes.SQL + "prices-known.sql?outputType=SelectOne&outputHeader=" + KNOWN)
                        .id("prices-known")
                    .filter(header(KNOWN).isNull())
                        .throwException(NotFoundException.class,
                                "no price history of ${body[coinId]} in ${body[vsCurrency]}").id("prices-unknown")
                    .end()
                .end()
                .process(PriceRoutes::page).id("prices-page")
                .removeHeaders("*").id("prices-headers")
                .marshal().custom(ApiJson.FORMAT).id("prices-json");
    }

    /** The rows (one more than the limit when a next page exists) as the answer. */
    private static void page(Exchange exchange) {
        Message message = exchange.getMessage();
        Map<?, ?> parameters = message.getBody(Map.class);
        int limit = (Integer) parameters.get("limit");
        List<PriceView> rows = rows(message);
        boolean more = rows.size() > limit;
        List<PriceView> items = more ? rows.subList(0, limit) : rows;
        // PostgreSQL keeps microseconds: one past the last item is the first instant after it.
        message.setBody(new PriceHistoryPage((String) parameters.get("coinId"), (String) parameters.get("vsCurrency"),
                items, more ? items.get(limit - 1).lastUpdated().plus(1, ChronoUnit.MICROS) : null));
    }

    @SuppressWarnings("unchecked")
    private static List<PriceView> rows(Message message) {
        // The endpoint's outputClass made every row a PriceView.
        return message.getHeader(ROWS, List.class);
    }

    private void problem(Exchange exchange, int status, String title) throws Exception {
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Problems.problem(exchange, json, status, title, error == null ? null : error.getMessage());
    }
}
