package dev.tideline.processor.config;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The processor image's one-off commands ({@code rebuild}, {@code redrive}): a context without a web server. */
final class Commands {

    private Commands() {}

    static ConfigurableApplicationContext context(Class<?> source, String[] args) {
        return new SpringApplicationBuilder(source)
                .web(WebApplicationType.NONE)
                .properties(
                        "spring.main.banner-mode=off",
                        // No web server and no health groups: the service's name the KCL worker, which a command has
                        // not.
                        "management.endpoint.health.validate-group-membership=false")
                .run(args);
    }
}
