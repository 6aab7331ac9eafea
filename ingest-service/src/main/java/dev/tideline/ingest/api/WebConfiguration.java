package dev.tideline.ingest.api;

import dev.tideline.ingest.config.IngestProperties;
import dev.tideline.ingest.context.ClientAddress;
import dev.tideline.ingest.context.ClientContexts;
import dev.tideline.model.event.ClickEventCodec;
import dev.tideline.web.RequestIdFilter;
import java.time.Clock;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** CORS, the demo shop, and the codec, clock and client contexts the endpoints use. */
@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebMvcConfigurer {

    private final IngestProperties properties;

    WebConfiguration(IngestProperties properties) {
        this.properties = properties;
    }

    @Override
    public void addCorsMappings(CorsRegistry registry) {
        if (!properties.corsOrigins().isEmpty()) {
            // Not the beacon, whose origins come with each publishable key (BeaconController).
            for (String path : new String[] {"/v1/events", "/v1/events/**"}) {
                registry.addMapping(path)
                        .allowedOrigins(properties.corsOrigins().toArray(String[]::new))
                        .allowedMethods("POST")
                        .allowedHeaders("Content-Type", ApiKeyFilter.HEADER, RequestIdFilter.HEADER)
                        .exposedHeaders(RequestIdFilter.HEADER, "Retry-After")
                        .maxAge(3600);
            }
        }
    }

    /** The demo shop of the embedded stack, when turned on: a page that uses the tracker. */
    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        if (properties.demo()) {
            registry.addResourceHandler("/demo/**").addResourceLocations("classpath:/demo/");
        }
    }

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        if (properties.demo()) {
            registry.addRedirectViewController("/demo", "/demo/");
            registry.addViewController("/demo/").setViewName("forward:/demo/index.html");
        }
    }

    /** Who a request's client is: stamped on events, and the key of the beacon's per-client rate. */
    @Bean
    ClientAddress clientAddress() {
        IngestProperties.Context c = properties.context();
        return new ClientAddress(c.trustedProxies(), c.anonymizeIp());
    }

    @Bean
    ClientContexts clientContexts(ClientAddress clientAddress) {
        IngestProperties.Context c = properties.context();
        return c.enabled() ? new ClientContexts(c.userAgent(), clientAddress) : ClientContexts.NONE;
    }

    /** Readiness: the user-agent rules are loaded, so no traffic meets a service still building them. */
    @Bean
    HealthIndicator userAgentRulesHealthIndicator(ClientContexts contexts) {
        return () -> contexts.loaded()
                ? Health.up().build()
                : Health.outOfService().withDetail("userAgentRules", "loading").build();
    }

    @Bean
    ClickEventCodec clickEventCodec() {
        return new ClickEventCodec();
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
