package dev.tideline.processor.archive;

import dev.tideline.model.names.Layout;
import dev.tideline.processor.rebuild.ArchiveSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/** The archive bucket's event objects. */
public final class S3ArchiveSource implements ArchiveSource {

    private final S3Client s3;
    private final String bucket;
    private final String prefix;

    public S3ArchiveSource(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = Layout.EVENTS_PREFIX;
    }

    @Override
    public String location() {
        return "s3://" + bucket + "/" + prefix;
    }

    @Override
    public List<ArchivedObject> list() {
        try {
            return s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents().stream()
                    .filter(o -> o.key().endsWith(".parquet"))
                    .map(o -> new ArchivedObject(o.key(), o.size()))
                    .toList();
        } catch (SdkException e) {
            throw new IllegalStateException(location() + " cannot be listed: " + e.getMessage(), e);
        }
    }

    @Override
    public void download(ArchivedObject object, Path file) {
        try {
            Files.deleteIfExists(file);
            s3.getObject(r -> r.bucket(bucket).key(object.key()), file);
        } catch (SdkException | java.io.IOException e) {
            throw new IllegalStateException(
                    "s3://" + bucket + "/" + object.key() + " cannot be read: " + e.getMessage(), e);
        }
    }
}
