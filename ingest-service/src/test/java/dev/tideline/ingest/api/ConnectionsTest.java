package dev.tideline.ingest.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tideline.ingest.IngestApplication;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * The service's own web server over real sockets: a client whose event is refused keeps its
 * connection, and what the server refuses before the service sees a request is a problem too.
 */
@SpringBootTest(
        classes = {IngestApplication.class, ConnectionsTest.Wiring.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "tideline.ingest.auth.api-keys[0]=" + EventsApiTest.KEY,
            "tideline.ingest.context.enabled=false",
            "spring.cloud.aws.region.static=us-east-1",
            "spring.cloud.aws.credentials.access-key=test",
            "spring.cloud.aws.credentials.secret-key=test",
            // Nothing listens there: the events go to the fake publisher.
            "spring.cloud.aws.kinesis.endpoint=http://127.0.0.1:9",
            "spring.cloud.aws.cloudwatch.enabled=false",
            "management.cloudwatch.metrics.export.enabled=false"
        })
class ConnectionsTest {

    @TestConfiguration(proxyBeanMethods = false)
    static class Wiring {
        @Bean
        @Primary
        FakePublisher fakePublisher() {
            return new FakePublisher();
        }
    }

    @LocalServerPort
    private int port;

    @Test
    void a400WhoseBodyWasReadWholeKeepsTheConnectionForTheNextEvent() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream());

            out.write(post("{\"user_id\":\"\",\"event_type\":\"click\"}"));
            Answer refused = Answer.read(in);
            out.write(post("{\"user_id\":\"u-1\",\"event_type\":\"click\"}"));
            Answer accepted = Answer.read(in);

            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.headers().get("content-type")).isEqualTo("application/problem+json");
            assertThat(refused.headers().getOrDefault("connection", "")).doesNotContain("close");
            assertThat(refused.body()).contains("user_id");
            assertThat(accepted.status())
                    .as("the same connection answers the next event")
                    .isEqualTo(202);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/events/%zz", "/v1/events/a%00b", "/v1/events/%C3%28"})
    void whatTheServerRefusesItselfIsAProblemNotAnHtmlPage(String path) throws IOException {
        Answer answer = raw("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.headers().get("content-type")).startsWith("application/problem+json");
        assertThat(answer.body()).contains("\"status\":400").doesNotContain("<html");
    }

    @Test
    void aRequestLineTheServerCannotParseIsAProblemToo() throws IOException {
        Answer answer = raw("GET /v1/events/a b/c HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.headers().get("content-type")).startsWith("application/problem+json");
        assertThat(answer.body()).doesNotContain("<html");
    }

    private byte[] post(String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String head = "POST /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nX-Api-Key: "
                + EventsApiTest.KEY + "\r\nContent-Length: " + body.length + "\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = java.util.Arrays.copyOf(h, h.length + body.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }

    private Answer raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return Answer.read(new BufferedInputStream(socket.getInputStream()));
        }
    }

    /** One HTTP/1.1 answer read off a socket: status, headers (names in lower case), body. */
    private record Answer(int status, Map<String, String> headers, String body) {

        static Answer read(InputStream in) throws IOException {
            int status = Integer.parseInt(line(in).substring(9, 12));
            Map<String, String> headers = new LinkedHashMap<>();
            for (String header = line(in); !header.isEmpty(); header = line(in)) {
                int colon = header.indexOf(':');
                headers.put(
                        header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        header.substring(colon + 1).trim());
            }
            byte[] body;
            if (headers.containsKey("content-length")) {
                body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
            } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
                for (int size = Integer.parseInt(line(in), 16); size > 0; size = Integer.parseInt(line(in), 16)) {
                    all.write(in.readNBytes(size));
                    line(in);
                }
                line(in);
                body = all.toByteArray();
            } else {
                body = in.readAllBytes();
            }
            return new Answer(status, headers, new String(body, StandardCharsets.UTF_8));
        }

        private static String line(InputStream in) throws IOException {
            StringBuilder sb = new StringBuilder();
            for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
                if (c != '\r') {
                    sb.append((char) c);
                }
            }
            return sb.toString();
        }
    }
}
