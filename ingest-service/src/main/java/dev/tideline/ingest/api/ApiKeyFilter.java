package dev.tideline.ingest.api;

import dev.tideline.ingest.config.IngestProperties;
import dev.tideline.model.event.Sha256;
import dev.tideline.web.ApiProblem;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Requires a known secret {@code X-Api-Key} on {@code /v1/**}, but for what pages use: the beacon
 * endpoint (which takes a publishable key, {@link BeaconGate}) and the tracker script. Keys are held only as SHA-256 digests and
 * compared against every configured digest in constant time; a key is never logged.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class ApiKeyFilter extends OncePerRequestFilter {

    static final String HEADER = "X-Api-Key";
    private static final String HASH_PREFIX = "sha256:";

    private final boolean enabled;
    private final List<byte[]> digests;
    private final ProblemWriter problems;

    ApiKeyFilter(IngestProperties properties, ProblemWriter problems) {
        this.enabled = properties.auth().enabled();
        this.digests =
                properties.auth().apiKeys().stream().map(ApiKeyFilter::digestOf).toList();
        this.problems = problems;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        boolean preflight = HttpMethod.OPTIONS.matches(request.getMethod()) && request.getHeader("Origin") != null;
        String path = request.getRequestURI();
        return !enabled
                || preflight
                || !path.startsWith("/v1/")
                || path.equals(BeaconController.PATH)
                || path.equals(TrackerController.PATH);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String key = request.getHeader(HEADER);
        if (key == null || key.isEmpty()) {
            problems.write(
                    response,
                    ApiProblem.of(HttpStatus.UNAUTHORIZED, "unauthorized", "the X-Api-Key header is missing"));
            return;
        }
        if (key.startsWith(BeaconGate.PUBLISHABLE)) {
            problems.write(
                    response,
                    ApiProblem.of(
                            HttpStatus.UNAUTHORIZED,
                            "unauthorized",
                            "a publishable key (pk_...) is good only for " + BeaconController.PATH));
            return;
        }
        if (!known(key)) {
            problems.write(
                    response, ApiProblem.of(HttpStatus.UNAUTHORIZED, "unauthorized", "the X-Api-Key is not valid"));
            return;
        }
        chain.doFilter(request, response);
    }

    private boolean known(String key) {
        byte[] presented = Sha256.of(key);
        boolean match = false;
        for (byte[] digest : digests) {
            match |= MessageDigest.isEqual(presented, digest); // no early exit: time does not depend on which key
        }
        return match;
    }

    static byte[] digestOf(String configured) {
        return configured.startsWith(HASH_PREFIX)
                ? HexFormat.of().parseHex(configured.substring(HASH_PREFIX.length()))
                : Sha256.of(configured);
    }
}
