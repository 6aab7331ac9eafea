package dev.tideline.ingest.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.tideline.web.RequestIdFilter;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** With the JSON logs of AWS, a failed request's log event names the request id its client was given. */
@WebMvcTest(EventsController.class)
@Import({EventsApiTest.Wiring.class, ProblemWriter.class, RequestIdFilter.class, EventIntake.class})
@TestPropertySource(
        properties = {
            "tideline.ingest.auth.api-keys[0]=sha256:" + EventsApiTest.KEY_SHA256,
            "logging.structured.format.console=ecs"
        })
@ExtendWith(OutputCaptureExtension.class)
class StructuredLogTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    private MockMvc mvc;

    @Autowired
    private FakePublisher publisher;

    @AfterEach
    void reset() {
        publisher.reset();
    }

    @Test
    void theLogEventOfAFailedRequestCarriesTheRequestIdOfItsAnswer(CapturedOutput output) throws Exception {
        publisher.failing = new IllegalStateException("a bug nobody expected");

        String requestId = mvc.perform(post("/v1/events")
                        .header("X-Api-Key", EventsApiTest.KEY)
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"user_id\":\"u1\",\"event_type\":\"click\"}"))
                .andExpect(status().isInternalServerError())
                .andReturn()
                .getResponse()
                .getHeader(RequestIdFilter.HEADER);

        List<JsonNode> errors = output.getOut()
                .lines()
                .filter(line -> line.startsWith("{"))
                .map(JSON::readTree)
                .filter(event -> event.toString().contains("a bug nobody expected"))
                .toList();
        assertThat(requestId).isNotBlank();
        assertThat(errors)
                .as("one JSON log event for the failure, its stack trace inside")
                .hasSize(1);
        assertThat(errors.get(0).toString())
                .contains("\"request_id\":\"" + requestId + "\"")
                .contains("\"stack_trace\":\"java.lang.IllegalStateException: a bug nobody expected\\n\\tat ");
    }
}
