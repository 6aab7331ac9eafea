package dev.tideline.archiver.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The bucket's objects copied to disk, to be read by DuckDB, an engine independent of ours. */
final class Archive {

    private Archive() {}

    /** Copies every object under {@code prefix} to {@code dir}, keeping its key as its path. */
    static List<String> download(S3Client s3, String bucket, String prefix, Path dir) throws IOException {
        List<String> keys = s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix)).contents().stream()
                .map(S3Object::key)
                .toList();
        for (String key : keys) {
            Path file = dir.resolve(key);
            Files.createDirectories(file.getParent());
            Files.write(
                    file, s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray());
        }
        return keys;
    }

    static Connection duckDb() throws SQLException {
        return DriverManager.getConnection("jdbc:duckdb:");
    }

    /** A {@code read_parquet} over every archived events object, with Hive partitions and file names. */
    static String events(Path dir) {
        return "read_parquet('" + dir.resolve("events") + "/**/*.parquet', hive_partitioning = true,"
                + " filename = true, file_row_number = true)";
    }
}
