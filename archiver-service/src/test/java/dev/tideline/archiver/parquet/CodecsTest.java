package dev.tideline.archiver.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputCompressor;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputDecompressor;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CodecsTest {

    private static final byte[] PAGE = "page_view,/p/1,user-7;".repeat(2_000).getBytes(StandardCharsets.UTF_8);

    @ParameterizedTest
    @EnumSource(
            value = CompressionCodecName.class,
            names = {"ZSTD", "SNAPPY", "UNCOMPRESSED"})
    void aPageComesBackAsItWentInThroughEitherDecompressor(CompressionCodecName codec) throws Exception {
        BytesInputCompressor compressor = Codecs.INSTANCE.getCompressor(codec);
        byte[] compressed = compressor.compress(BytesInput.from(PAGE)).toByteArray();
        if (codec != CompressionCodecName.UNCOMPRESSED) {
            assertThat(compressed.length).isLessThan(PAGE.length / 10);
        }
        BytesInputDecompressor decompressor = Codecs.INSTANCE.getDecompressor(codec);

        assertThat(decompressor
                        .decompress(BytesInput.from(compressed), PAGE.length)
                        .toByteArray())
                .isEqualTo(PAGE);

        ByteBuffer in = ByteBuffer.allocate(compressed.length + 3)
                .put(compressed)
                .put(new byte[3])
                .flip();
        ByteBuffer out = ByteBuffer.allocate(PAGE.length + 1);
        decompressor.decompress(in, compressed.length, out, PAGE.length);
        assertThat(in.position()).as("the input is read past the page").isEqualTo(compressed.length);
        assertThat(out.position()).isEqualTo(PAGE.length);
        assertThat(out.flip().array()).startsWith(PAGE);
    }

    @ParameterizedTest
    @EnumSource(
            value = CompressionCodecName.class,
            names = {"GZIP", "LZ4_RAW", "BROTLI"})
    void codecsTheArchiveDoesNotUseAreRefusedByName(CompressionCodecName codec) {
        assertThatThrownBy(() -> Codecs.INSTANCE.getDecompressor(codec))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining(codec.name());
    }

    @ParameterizedTest
    @EnumSource(
            value = CompressionCodecName.class,
            names = {"ZSTD", "SNAPPY"})
    void aPageShorterThanItsHeaderSaysIsAnError(CompressionCodecName codec) throws Exception {
        byte[] compressed = Codecs.INSTANCE
                .getCompressor(codec)
                .compress(BytesInput.from(PAGE))
                .toByteArray();
        assertThatThrownBy(() ->
                        Codecs.INSTANCE.getDecompressor(codec).decompress(BytesInput.from(compressed), PAGE.length + 1))
                .isInstanceOf(IOException.class)
                .hasMessage("a page decompressed to " + PAGE.length + " bytes, not the " + (PAGE.length + 1)
                        + " its header gives");
    }
}
