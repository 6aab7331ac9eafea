package dev.tideline.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** On a real Tomcat: encoded slashes reach the path variable, and what Tomcat refuses is a problem. */
@SpringBootTest(
        classes = IdentifiersInPathsTest.App.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.cloud.aws.region.static=us-east-1", "management.cloudwatch.metrics.export.enabled=false"})
class IdentifiersInPathsTest {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
        @RestController
        static class Echo {
            @GetMapping("/v1/echo/{id}/back")
            String echo(@PathVariable String id) {
                return id;
            }
        }
    }

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    private int port;

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {"org%2F42|org/42", "a%5Cb|a\\b", "100%25|100%", "a%3Bb|a;b", "%2E%2E|..", "%2E|.", "x%20y|x y"})
    void anEncodedSegmentReachesThePathVariableDecoded(String encoded, String decoded) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/echo/" + encoded + "/back"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(decoded);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/echo/%zz/back", "/v1/echo/a%00b/back", "/v1/echo/%C3%28/back"})
    void whatTomcatRefusesIsAProblemNotAnHtmlPage(String path) throws IOException {
        String answer = raw("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 400");
        assertThat(answer.toLowerCase(java.util.Locale.ROOT)).contains("content-type: application/problem+json");
        assertThat(answer).contains("\"status\":400").doesNotContain("<html");
    }

    @Test
    void aRequestLineTomcatCannotParseIsAProblemToo() throws IOException {
        String answer = raw("GET /v1/echo/a b/back HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 400");
        assertThat(answer).doesNotContain("<html");
    }

    private String raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
