package dev.tideline.model.kpl;

import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One logical record: what a producer put, before aggregation packed it into a Kinesis record.
 *
 * @param partitionKey 1 to 256 characters; decides the shard
 * @param explicitHashKey decimal 128-bit hash key that overrides the partition key's hash, or null
 * @param data the payload; callers must not change the array after handing it over
 */
public record UserRecord(String partitionKey, @Nullable String explicitHashKey, byte[] data) {

    public UserRecord {
        Objects.requireNonNull(partitionKey, "partitionKey");
        Objects.requireNonNull(data, "data");
    }

    public static UserRecord of(String partitionKey, byte[] data) {
        return new UserRecord(partitionKey, null, data);
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof UserRecord r
                && partitionKey.equals(r.partitionKey)
                && Objects.equals(explicitHashKey, r.explicitHashKey)
                && Arrays.equals(data, r.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(partitionKey, explicitHashKey, Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "UserRecord[partitionKey=" + partitionKey + ", explicitHashKey=" + explicitHashKey + ", " + data.length
                + " bytes]";
    }
}
