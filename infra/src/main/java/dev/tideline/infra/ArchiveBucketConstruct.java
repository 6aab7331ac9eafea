package dev.tideline.infra;

import dev.tideline.model.names.Layout;
import java.util.List;
import java.util.Objects;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.amazon.awscdk.services.s3.StorageClass;
import software.amazon.awscdk.services.s3.Transition;
import software.constructs.Construct;

/**
 * The archive bucket and the bucket its access logs (and the load balancer's) go to. The archive is
 * KMS-encrypted with an S3 bucket key, TLS-only, private, versioned, and moves from Standard to
 * Standard-IA after 30 days and to Glacier Flexible Retrieval after 90.
 */
public final class ArchiveBucketConstruct extends Construct {

    static final int INFREQUENT_ACCESS_AFTER_DAYS = 30;
    static final int GLACIER_AFTER_DAYS = 90;

    /**
     * @param bucketName S3 names are global: on AWS the stack appends its account and region
     * @param expiryDays objects are deleted this many days after creation; more than 90, since
     *     Glacier bills at least 90 days
     */
    public record Props(String bucketName, int expiryDays, RemovalPolicy removal) {

        public Props {
            Objects.requireNonNull(bucketName, "bucketName");
            Objects.requireNonNull(removal, "removal");
            if (expiryDays <= GLACIER_AFTER_DAYS) {
                throw new IllegalArgumentException("archive expiry must be after the move to Glacier at day "
                        + GLACIER_AFTER_DAYS + ", not " + expiryDays);
            }
        }
    }

    private final Bucket bucket;
    private final Bucket logs;
    private final Key key;

    public ArchiveBucketConstruct(Construct scope, String id, Props props) {
        super(scope, id);
        this.key = Key.Builder.create(this, "Key")
                .description("Encrypts the archive bucket " + props.bucketName())
                .enableKeyRotation(true)
                .build();
        // Access-log targets cannot use SSE-KMS; S3-managed keys are what S3 and ELB can write with.
        this.logs = Bucket.Builder.create(this, "AccessLogs")
                .encryption(BucketEncryption.S3_MANAGED)
                .enforceSsl(true)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                // No ACLs: S3 and ELB log delivery are allowed by bucket policy.
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .lifecycleRules(List.of(LifecycleRule.builder()
                        .id("expire-logs")
                        .expiration(Duration.days(365))
                        .build()))
                .removalPolicy(props.removal())
                // Not retained: emptied on delete, else CloudFormation cannot delete the bucket.
                .autoDeleteObjects(props.removal() == RemovalPolicy.DESTROY)
                .build();
        this.bucket = Bucket.Builder.create(this, "Archive")
                .bucketName(props.bucketName())
                .encryption(BucketEncryption.KMS)
                .encryptionKey(key)
                .bucketKeyEnabled(true)
                .enforceSsl(true)
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .versioned(true)
                .serverAccessLogsBucket(logs)
                .serverAccessLogsPrefix("s3/" + props.bucketName() + "/")
                .lifecycleRules(List.of(
                        LifecycleRule.builder()
                                .id("hot-to-cold")
                                .transitions(List.of(
                                        transition(StorageClass.INFREQUENT_ACCESS, INFREQUENT_ACCESS_AFTER_DAYS),
                                        transition(StorageClass.GLACIER, GLACIER_AFTER_DAYS)))
                                .expiration(Duration.days(props.expiryDays()))
                                .noncurrentVersionExpiration(Duration.days(30))
                                .abortIncompleteMultipartUploadAfter(Duration.days(7))
                                .build(),
                        // Athena's query results, and what a rebuild that never finished left there.
                        LifecycleRule.builder()
                                .id("athena-results")
                                .prefix(Layout.ATHENA_PREFIX)
                                .expiration(Duration.days(7))
                                .noncurrentVersionExpiration(Duration.days(1))
                                .build()))
                .removalPolicy(props.removal())
                .autoDeleteObjects(props.removal() == RemovalPolicy.DESTROY)
                .build();
    }

    private static Transition transition(StorageClass storageClass, int days) {
        return Transition.builder()
                .storageClass(storageClass)
                .transitionAfter(Duration.days(days))
                .build();
    }

    public Bucket bucket() {
        return bucket;
    }

    public Bucket logs() {
        return logs;
    }

    public Key key() {
        return key;
    }
}
