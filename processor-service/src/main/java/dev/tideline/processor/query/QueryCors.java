package dev.tideline.processor.query;

import dev.tideline.processor.config.ProcessorProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Lets the configured origins' pages read the query API; none by default. */
@Configuration(proxyBeanMethods = false)
class QueryCors implements WebMvcConfigurer {

    private final ProcessorProperties properties;

    QueryCors(ProcessorProperties properties) {
        this.properties = properties;
    }

    @Override
    public void addCorsMappings(CorsRegistry registry) {
        if (!properties.corsOrigins().isEmpty()) {
            registry.addMapping("/v1/**")
                    .allowedOrigins(properties.corsOrigins().toArray(String[]::new))
                    .allowedMethods("GET")
                    .maxAge(3600);
        }
    }
}
