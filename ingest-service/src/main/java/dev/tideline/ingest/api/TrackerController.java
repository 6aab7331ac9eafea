package dev.tideline.ingest.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.WebRequest;

/**
 * {@code GET /v1/tideline.js}: the browser tracker. Cached by browsers and CDNs for an hour and
 * revalidated by its ETag (its content's hash), so a new release reaches pages within the hour; its
 * version is in the script ({@code tideline.version}) and in {@code X-Tideline-Version}.
 */
@RestController
class TrackerController {

    static final String PATH = "/v1/tideline.js";
    private static final Pattern VERSION = Pattern.compile("version: ?'([^']+)'");
    private static final MediaType JAVASCRIPT = new MediaType("text", "javascript", StandardCharsets.UTF_8);

    private final byte[] script;
    private final String etag;
    private final String version;

    TrackerController() throws IOException {
        try (InputStream in = new ClassPathResource("tracker/tideline.js").getInputStream()) {
            this.script = in.readAllBytes();
        }
        this.etag = "\"" + HexFormat.of().formatHex(dev.tideline.model.event.Sha256.of(script), 0, 8) + "\"";
        Matcher m = VERSION.matcher(new String(script, StandardCharsets.UTF_8));
        this.version = m.find() ? m.group(1) : "unknown";
    }

    @GetMapping(PATH)
    ResponseEntity<byte[]> script(WebRequest request) {
        if (request.checkNotModified(etag)) {
            return null; // 304, written by the check
        }
        return ResponseEntity.ok()
                .contentType(JAVASCRIPT)
                .cacheControl(CacheControl.maxAge(Duration.ofHours(1)).cachePublic())
                .eTag(etag)
                .header("X-Tideline-Version", version)
                .header("Access-Control-Allow-Origin", "*")
                .body(script);
    }
}
