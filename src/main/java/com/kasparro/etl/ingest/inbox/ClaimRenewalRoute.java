package com.kasparro.etl.ingest.inbox;

import com.kasparro.etl.config.EtlProperties;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * Renews this replica's inbox claims three times a lease, and clears the expired claims of dead
 * replicas. It starts before the inbox routes and stops after them (startup order), so a claim
 * stays renewed for as long as its file is worked on, a graceful stop included.
 */
@Component
public class ClaimRenewalRoute extends RouteBuilder {

    private final InboxClaims claims;
    private final long periodMillis;

    public ClaimRenewalRoute(InboxClaims claims, EtlProperties properties) {
        this.claims = claims;
        this.periodMillis = properties.inbox().claimRenewInterval().toMillis();
    }

    @Override
    public void configure() {
        from("timer:inbox-claims?period=" + periodMillis + "&delay=" + periodMillis)
                .routeId("inbox-claims-renew")
                .startupOrder(1)
                .bean(claims, "renew").id("renew-inbox-claims");
    }
}
