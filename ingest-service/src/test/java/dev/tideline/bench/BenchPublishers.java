package dev.tideline.bench;

import dev.tideline.ingest.publish.EventPublisher;
import dev.tideline.ingest.publish.Published;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;

/** The publishers the benchmark compares the real pipeline with; never part of the service. */
@Configuration(proxyBeanMethods = false)
class BenchPublishers {

    @Bean
    @Primary
    EventPublisher benchPublisher(
            @Value("${bench.publisher}") String mode,
            @Value("${tideline.ingest.stream}") String stream,
            KinesisAsyncClient kinesis,
            dev.tideline.ingest.publish.AggregatingPublisher real) {
        return switch (mode) {
            case "aggregating" -> real;
            case "per-record" -> new PerRecord(kinesis, stream);
            case "null" -> new Null();
            default -> throw new IllegalArgumentException("bench.publisher is aggregating, per-record or null");
        };
    }

    /** The naive design: one PutRecord call per event. */
    static final class PerRecord implements EventPublisher {
        static final AtomicLong CALLS = new AtomicLong();
        private final KinesisAsyncClient kinesis;
        private final String stream;

        PerRecord(KinesisAsyncClient kinesis, String stream) {
            this.kinesis = kinesis;
            this.stream = stream;
        }

        @Override
        public CompletableFuture<Published> publish(String partitionKey, byte[] data, Instant deadline) {
            CALLS.incrementAndGet();
            return kinesis.putRecord(
                            r -> r.streamName(stream).partitionKey(partitionKey).data(SdkBytes.fromByteArray(data)))
                    .thenApply(r -> new Published(r.shardId(), r.sequenceNumber(), 0));
        }

        @Override
        public boolean streamReachable() {
            return true;
        }
    }

    /** The ceiling: HTTP and JSON only, acknowledged without sending. */
    static final class Null implements EventPublisher {
        private final AtomicLong sequence = new AtomicLong();

        @Override
        public CompletableFuture<Published> publish(String partitionKey, byte[] data, Instant deadline) {
            return CompletableFuture.completedFuture(
                    new Published("shardId-000000000000", Long.toString(sequence.incrementAndGet()), 0));
        }

        @Override
        public boolean streamReachable() {
            return true;
        }
    }
}
