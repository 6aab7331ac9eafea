package dev.tideline.web;

import org.apache.catalina.core.StandardHost;
import org.apache.tomcat.util.buf.EncodedSolidusHandling;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Registers the {@link RequestIdFilter} in every servlet web application that has this module, and
 * sets the web server up so that every identifier the event contract accepts can be read back by
 * URL, and what the server refuses by itself is a problem too.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class WebSupportAutoConfiguration {

    @Bean
    RequestIdFilter requestIdFilter() {
        return new RequestIdFilter();
    }

    /**
     * On Tomcat, an encoded {@code /} or {@code \} in a path segment ({@code GET
     * /v1/users/org%2F42/activity}) reaches the application still encoded, where Spring decodes the
     * segment into the path variable, instead of being refused by Tomcat with an HTML page; and what
     * Tomcat refuses still answers {@code application/problem+json} ({@link ProblemErrorReportValve}).
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(TomcatServletWebServerFactory.class)
    static class OnTomcat {
        @Bean
        WebServerFactoryCustomizer<TomcatServletWebServerFactory> identifiersInPaths() {
            return factory -> {
                factory.addConnectorCustomizers(connector -> {
                    connector.setEncodedSolidusHandling(EncodedSolidusHandling.PASS_THROUGH.getValue());
                    connector.setEncodedReverseSolidusHandling(EncodedSolidusHandling.PASS_THROUGH.getValue());
                });
                factory.addContextCustomizers(context -> ((StandardHost) context.getParent())
                        .setErrorReportValveClass(ProblemErrorReportValve.class.getName()));
            };
        }
    }

    /** On Jetty (the ingest service), what Jetty refuses answers {@code application/problem+json}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(JettyServletWebServerFactory.class)
    static class OnJetty {
        @Bean
        WebServerFactoryCustomizer<JettyServletWebServerFactory> problemErrors() {
            return factory -> factory.addServerCustomizers(server -> server.setErrorHandler(new ProblemErrorHandler()));
        }
    }
}
