package dev.tideline.ingest.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Says at start-up that the local profile accepts a well-known key, so nobody runs it by mistake on AWS. */
@Component
@Profile({"local", "localstack"})
class LocalProfileNotice {

    private static final Logger log = LoggerFactory.getLogger(LocalProfileNotice.class);

    @EventListener(ApplicationReadyEvent.class)
    void announce() {
        log.warn("Development profile: POST /v1/events accepts X-Api-Key: local-dev-key. Never use it on AWS.");
    }
}
