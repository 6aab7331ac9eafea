package dev.tideline.processor.query;

import dev.tideline.processor.config.ProcessorProperties;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Lets the configured origins' pages read the query API; none by default. */
@Configuration(proxyBeanMethods = false)
class QueryCors implements WebMvcConfigurer {

    private final List<String> origins;

    // A provider: the query API's slice tests run without the processor's settings.
    QueryCors(ObjectProvider<ProcessorProperties> properties) {
        ProcessorProperties p = properties.getIfAvailable();
        this.origins = p == null ? List.of() : p.corsOrigins();
    }

    @Override
    public void addCorsMappings(CorsRegistry registry) {
        if (!origins.isEmpty()) {
            registry.addMapping("/v1/**")
                    .allowedOrigins(origins.toArray(String[]::new))
                    .allowedMethods("GET")
                    .maxAge(3600);
        }
    }
}
