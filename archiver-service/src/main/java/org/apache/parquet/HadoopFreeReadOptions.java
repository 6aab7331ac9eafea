package org.apache.parquet;

import java.util.Map;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.filter2.compat.FilterCompat;
import org.apache.parquet.format.converter.ParquetMetadataConverter;

/**
 * Read options for parquet-java's file reader that never touch Hadoop, so that the archiver's jar
 * carries neither hadoop-common nor hadoop-mapreduce-client-core (6.7 MB of the jar).
 *
 * <p>The public way, {@code ParquetReadOptions.builder(ParquetConfiguration)}, resolves its record
 * filter through {@code ParquetInputFormat}, a subclass of Hadoop MapReduce's {@code
 * FileInputFormat}, and its default codecs through Hadoop's codec classes, even when both are
 * replaced afterwards (parquet-java issue 3780, open). The options' full constructor is
 * package-private, hence this class's package. The values are the builder's defaults for a plain
 * configuration, with no filter; the codecs are the caller's.
 *
 * <p>Compiled against the pinned parquet-java: a change to that constructor fails the build, and
 * {@code ParquetFileTest} runs with no Hadoop class on its class path.
 */
public final class HadoopFreeReadOptions {

    /** parquet-java's default for the largest buffer one read allocates. */
    private static final int MAX_ALLOCATION_BYTES = 8 << 20;

    private HadoopFreeReadOptions() {}

    public static ParquetReadOptions of(CompressionCodecFactory codecs) {
        return new ParquetReadOptions(
                false, // signed min/max of strings: unused, no filter
                true, // statistics filter
                true, // dictionary filter
                true, // record filter
                true, // column-index filter
                false, // page checksum verification
                true, // bloom filter
                false, // off-heap decryption buffer: nothing is encrypted
                false, // Hadoop's vectored IO: local files only
                FilterCompat.NOOP,
                ParquetMetadataConverter.NO_FILTER,
                codecs,
                new HeapByteBufferAllocator(),
                MAX_ALLOCATION_BYTES,
                Map.of(),
                null, // no decryption
                null, // no metrics callback
                new PlainParquetConfiguration());
    }
}
