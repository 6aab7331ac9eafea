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
                        // The service's health groups name its KCL worker, which a command has not.
                        "management.endpoint.health.validate-group-membership=false",
                        // A command says what it does itself; the catch-up's KCL worker only its warnings.
                        "logging.level.software.amazon.kinesis=WARN")
                .run(args);
    }
}
