package dev.tideline.ingest.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

class IngestPropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(IngestProperties.class)
    static class Bound {}

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Bound.class);

    @Test
    void withoutAnyApiKeyTheServiceRefusesToStartAndSaysWhichPropertyToSet() {
        runner.run(context -> assertThat(context)
                .getFailure()
                .rootCause()
                .hasMessageContaining("no API key is configured")
                .hasMessageContaining("tideline.ingest.auth.api-keys[0]"));
    }

    @Test
    void oneKeyOrNoAuthAtAllStarts() {
        runner.withPropertyValues("tideline.ingest.auth.api-keys[0]=k")
                .run(context -> assertThat(context).hasNotFailed());
        runner.withPropertyValues("tideline.ingest.auth.enabled=false")
                .run(context -> assertThat(context).hasNotFailed());
    }
}
