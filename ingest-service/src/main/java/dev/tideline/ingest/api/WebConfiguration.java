package dev.tideline.ingest.api;

import dev.tideline.ingest.config.IngestProperties;
import dev.tideline.model.event.ClickEventCodec;
import dev.tideline.web.RequestIdFilter;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** CORS for browser trackers, and the codec and clock the controller uses. */
@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebMvcConfigurer {

    private final IngestProperties properties;

    WebConfiguration(IngestProperties properties) {
        this.properties = properties;
    }

    @Override
    public void addCorsMappings(CorsRegistry registry) {
        if (!properties.corsOrigins().isEmpty()) {
            registry.addMapping("/v1/**")
                    .allowedOrigins(properties.corsOrigins().toArray(String[]::new))
                    .allowedMethods("POST")
                    .allowedHeaders("Content-Type", ApiKeyFilter.HEADER, RequestIdFilter.HEADER)
                    .exposedHeaders(RequestIdFilter.HEADER, "Retry-After")
                    .maxAge(3600);
        }
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
