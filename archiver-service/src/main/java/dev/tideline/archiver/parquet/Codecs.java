package dev.tideline.archiver.parquet;

import io.airlift.compress.Compressor;
import io.airlift.compress.Decompressor;
import io.airlift.compress.snappy.SnappyCompressor;
import io.airlift.compress.snappy.SnappyDecompressor;
import io.airlift.compress.zstd.ZstdCompressor;
import io.airlift.compress.zstd.ZstdDecompressor;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.jspecify.annotations.Nullable;

/**
 * The archive's page codecs, in pure Java (aircompressor): ZSTD, Snappy and none. parquet-java's own
 * factory reaches them through Hadoop's codec classes and configuration, and its ZSTD through a
 * native library; this one needs neither, which keeps both out of the archiver's jar. The pages are
 * the standard formats, so any Parquet reader reads them, and files written with the native ZSTD
 * read back here. The factory holds nothing: every writer and reader gets compressors of its own.
 */
final class Codecs implements CompressionCodecFactory {

    static final Codecs INSTANCE = new Codecs();

    private Codecs() {}

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
        switch (codec) {
            case ZSTD:
                return new Compressing(codec, new ZstdCompressor());
            case SNAPPY:
                return new Compressing(codec, new SnappyCompressor());
            case UNCOMPRESSED:
                return new Compressing(codec, null);
            default:
                throw unsupported(codec);
        }
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        switch (codec) {
            case ZSTD:
                return new Decompressing(new ZstdDecompressor());
            case SNAPPY:
                return new Decompressing(new SnappyDecompressor());
            case UNCOMPRESSED:
                return new Decompressing(null);
            default:
                throw unsupported(codec);
        }
    }

    @Override
    public void release() {}

    private static UnsupportedOperationException unsupported(CompressionCodecName codec) {
        return new UnsupportedOperationException(
                "the archive's pages are ZSTD, Snappy or uncompressed; " + codec + " is none of them");
    }

    private static final class Compressing implements BytesInputCompressor {

        private final CompressionCodecName codec;
        private final @Nullable Compressor compressor;

        Compressing(CompressionCodecName codec, @Nullable Compressor compressor) {
            this.codec = codec;
            this.compressor = compressor;
        }

        @Override
        public BytesInput compress(BytesInput page) throws IOException {
            if (compressor == null) {
                return page;
            }
            byte[] in = page.toByteArray();
            byte[] out = new byte[compressor.maxCompressedLength(in.length)];
            int length = compressor.compress(in, 0, in.length, out, 0, out.length);
            return BytesInput.from(out, 0, length);
        }

        @Override
        public CompressionCodecName getCodecName() {
            return codec;
        }

        @Override
        public void release() {}
    }

    private static final class Decompressing implements BytesInputDecompressor {

        private final @Nullable Decompressor decompressor;

        Decompressing(@Nullable Decompressor decompressor) {
            this.decompressor = decompressor;
        }

        @Override
        public BytesInput decompress(BytesInput page, int uncompressedSize) throws IOException {
            if (decompressor == null) {
                return page;
            }
            byte[] in = page.toByteArray();
            byte[] out = new byte[uncompressedSize];
            int length = decompressor.decompress(in, 0, in.length, out, 0, out.length);
            if (length != uncompressedSize) {
                throw new IOException("a page decompressed to " + length + " bytes, not the " + uncompressedSize
                        + " its header gives");
            }
            return BytesInput.from(out);
        }

        /** As parquet-java's own: reads {@code compressedSize} bytes from {@code in}, appends to {@code out}. */
        @Override
        public void decompress(ByteBuffer in, int compressedSize, ByteBuffer out, int uncompressedSize)
                throws IOException {
            byte[] page = new byte[compressedSize];
            in.get(page);
            out.put(decompress(BytesInput.from(page), uncompressedSize).toByteBuffer());
        }

        @Override
        public void release() {}
    }
}
