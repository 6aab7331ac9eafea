package dev.tideline.ingest.api;

import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import org.springframework.util.unit.DataSize;

/** Reads a request body up to a limit, refusing a larger one before any of it is parsed. */
final class BoundedBody {

    private BoundedBody() {}

    static byte[] read(HttpServletRequest request, DataSize limit) throws IOException {
        long max = limit.toBytes();
        long declared = request.getContentLengthLong();
        if (declared > max) {
            throw new TooLarge(max);
        }
        var out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 1024);
        byte[] buffer = new byte[8192];
        try (InputStream in = request.getInputStream()) {
            int n;
            while ((n = in.read(buffer)) != -1) {
                if (out.size() + n > max) {
                    throw new TooLarge(max);
                }
                out.write(buffer, 0, n);
            }
        }
        return out.toByteArray();
    }

    /** The body is larger than this endpoint takes. */
    static final class TooLarge extends RuntimeException {
        TooLarge(long max) {
            super("the request body is larger than " + max + " bytes", null, false, false);
        }
    }
}
