package dev.tideline.console.collect;

import dev.tideline.model.names.Layout;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * What the consumers set aside: the processor's dead letters (items {@code dead-letter#<shard>} of the
 * aggregates table) and the archiver's objects under {@code errors/<reason>/} of the bucket, newest first.
 */
public final class Rejects {

    /** A poison record the processor kept, without its bytes. */
    public record DeadLetter(
            String shardId,
            String sequenceNumber,
            String partitionKey,
            String reason,
            String message,
            @Nullable Instant arrivedAt) {}

    /** An object of records the archiver could not archive as events. */
    public record ErrorObject(String key, String reason, long bytes, Instant lastModified) {}

    /** Objects listed per refresh at most: ten pages of {@code ListObjectsV2}. */
    private static final int MAX_PAGES = 10;

    private final DynamoDbClient dynamo;
    private final S3Client s3;

    public Rejects(DynamoDbClient dynamo, S3Client s3) {
        this.dynamo = dynamo;
        this.s3 = s3;
    }

    /** The newest {@code limit} dead letters over {@code shards}: one {@code Query} per shard. */
    public List<DeadLetter> deadLetters(String table, Collection<String> shards, int limit) {
        List<DeadLetter> found = new ArrayList<>();
        for (String shardId : shards) {
            var page = dynamo.query(b -> b.tableName(table)
                    .keyConditionExpression("#pk = :pk")
                    .expressionAttributeNames(Map.of("#pk", Layout.AGGREGATES_PARTITION_KEY))
                    .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("dead-letter#" + shardId)))
                    .projectionExpression("shard_id, sequence_number, partition_key, reason, message, arrived_at")
                    .scanIndexForward(false)
                    .limit(limit));
            for (Map<String, AttributeValue> item : page.items()) {
                String arrived = text(item, "arrived_at");
                found.add(new DeadLetter(
                        shardId,
                        text(item, "sequence_number"),
                        text(item, "partition_key"),
                        text(item, "reason"),
                        text(item, "message"),
                        arrived.isEmpty() ? null : Instant.parse(arrived)));
            }
        }
        return found.stream()
                .sorted(Comparator.comparing(
                                DeadLetter::arrivedAt, Comparator.nullsLast(Comparator.<Instant>naturalOrder()))
                        .reversed())
                .limit(limit)
                .toList();
    }

    /** The newest {@code limit} objects under {@code errors/}. */
    public List<ErrorObject> errorObjects(String bucket, int limit) {
        List<ErrorObject> found = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            String from = token;
            ListObjectsV2Response page = s3.listObjectsV2(
                    b -> b.bucket(bucket).prefix(Layout.ERRORS_PREFIX).continuationToken(from));
            for (S3Object o : page.contents()) {
                found.add(new ErrorObject(o.key(), reasonOf(o.key()), o.size(), o.lastModified()));
            }
            token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
        } while (token != null && ++pages < MAX_PAGES);
        return found.stream()
                .sorted(Comparator.comparing(ErrorObject::lastModified).reversed())
                .limit(limit)
                .toList();
    }

    /** {@code errors/<reason>/dt=...}: the reason is the key's second segment. */
    static String reasonOf(String key) {
        String rest = key.substring(Layout.ERRORS_PREFIX.length());
        int slash = rest.indexOf('/');
        return slash < 0 ? "unknown" : rest.substring(0, slash);
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.s() == null ? "" : v.s();
    }
}
