package dev.tideline.processor.archive;

import dev.tideline.processor.rebuild.AthenaFold;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Where Athena writes a rebuild's staged records and answers: a prefix of a bucket. */
public final class S3Results implements AthenaFold.Results {

    private static final Pattern LOCATION = Pattern.compile("s3://([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])/((?:[^/]+/)*)");
    private static final int DELETE_BATCH = 1_000;

    private final S3Client s3;
    private final String bucket;
    private final String prefix;

    /** @param location {@code s3://bucket/prefix/} */
    public S3Results(S3Client s3, String location) {
        Matcher m = LOCATION.matcher(location);
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "not an S3 location of the form s3://bucket/prefix/ for Athena's results: " + location);
        }
        this.s3 = s3;
        this.bucket = m.group(1);
        this.prefix = m.group(2);
    }

    @Override
    public String location() {
        return "s3://" + bucket + "/" + prefix;
    }

    @Override
    public void delete(String under) {
        try {
            List<ObjectIdentifier> keys = list(under).stream()
                    .map(o -> ObjectIdentifier.builder().key(o.key()).build())
                    .toList();
            for (int at = 0; at < keys.size(); at += DELETE_BATCH) {
                List<ObjectIdentifier> batch = keys.subList(at, Math.min(keys.size(), at + DELETE_BATCH));
                s3.deleteObjects(
                        r -> r.bucket(bucket).delete(d -> d.objects(batch).quiet(true)));
            }
        } catch (SdkException e) {
            throw new IllegalStateException(location() + under + " cannot be emptied: " + e.getMessage(), e);
        }
    }

    @Override
    public int download(String under, Path dir) {
        List<S3Object> objects = list(under);
        int n = 0;
        for (S3Object o : objects) {
            if (o.size() == 0) {
                continue; // a folder marker, not an answer
            }
            Path file = dir.resolve(String.format("%05d", n++));
            try {
                Files.deleteIfExists(file);
                s3.getObject(r -> r.bucket(bucket).key(o.key()), file);
            } catch (SdkException | IOException e) {
                throw new IllegalStateException(
                        "s3://" + bucket + "/" + o.key() + " cannot be read: " + e.getMessage(), e);
            }
        }
        return n;
    }

    private List<S3Object> list(String under) {
        try {
            return s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix + under)).contents().stream()
                    .toList();
        } catch (SdkException e) {
            throw new IllegalStateException(location() + under + " cannot be listed: " + e.getMessage(), e);
        }
    }
}
