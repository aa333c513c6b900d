package io.github.herokupipeline.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ParallelGzipOutputStreamTest {

    private static final int BLOCK = ParallelGzipOutputStream.BLOCK_SIZE;

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 1000, BLOCK - 1, BLOCK, BLOCK + 1, 3 * BLOCK + 17, 40 * BLOCK + 5})
    void anyGzipReaderGetsTheInputBack(int size) throws IOException {
        for (byte[] input : new byte[][] {random(size), text(size)}) {
            byte[] compressed = compress(input, 4);
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
                assertThat(in.readAllBytes()).isEqualTo(input);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 7})
    void theOutputDoesNotDependOnTheNumberOfThreads(int threads) throws IOException {
        byte[] input = text(10 * BLOCK + 99);
        assertThat(compress(input, threads)).isEqualTo(compress(input, 1));
    }

    @ParameterizedTest
    @ValueSource(ints = {5 * BLOCK})
    void compressesAboutAsWellAsOneStream_becauseEachBlockSeesThePreviousOne(int size) throws IOException {
        byte[] input = text(size);
        ByteArrayOutputStream single = new ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(single)) {
            gzip.write(input);
        }
        assertThat((double) compress(input, 2).length).isLessThan(single.size() * 1.05);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void storesIncompressibleBlocks_andStillDeflatesTheTextAroundThem(int threads) throws IOException {
        byte[] text = text(4 * BLOCK);
        byte[] noise = random(4 * BLOCK);
        byte[] mixed = new byte[text.length + noise.length + text.length];
        System.arraycopy(text, 0, mixed, 0, text.length);
        System.arraycopy(noise, 0, mixed, text.length, noise.length);
        System.arraycopy(text, 0, mixed, text.length + noise.length, text.length);

        byte[] compressed = compress(mixed, threads);

        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            assertThat(in.readAllBytes()).isEqualTo(mixed);
        }
        // the noise is stored (a few bytes of framing per 64 KiB); the text around it, twice its size, is deflated
        assertThat(compressed.length).isBetween(noise.length, noise.length + text.length);
        assertThat(compress(noise, threads).length).isLessThan((int) (noise.length * 1.01));
        assertThat(compressed).isEqualTo(compress(mixed, 1));
    }

    @Test
    void onlyABlockWithNothingToGain_isStored() throws IOException {
        try (ParallelGzipOutputStream gzip = new ParallelGzipOutputStream(new ByteArrayOutputStream(), 6, 1)) {
            assertThat(gzip.worthDeflating(random(BLOCK), BLOCK)).isFalse();
            assertThat(gzip.worthDeflating(text(BLOCK), BLOCK)).isTrue();
            byte[] mostlyNoise = random(BLOCK);
            System.arraycopy(text(BLOCK), 0, mostlyNoise, BLOCK - 8192, 8192);
            assertThat(gzip.worthDeflating(mostlyNoise, BLOCK)).isTrue();
            assertThat(gzip.worthDeflating(random(1000), 1000)).isTrue(); // too small to judge: deflated
        }
    }

    private static byte[] compress(byte[] input, int threads) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ParallelGzipOutputStream gzip = new ParallelGzipOutputStream(bytes, 6, threads)) {
            int offset = 0;
            Random chunks = new Random(7);
            while (offset < input.length) {
                int length = Math.min(input.length - offset, 1 + chunks.nextInt(70_000));
                gzip.write(input, offset, length);
                offset += length;
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private static byte[] text(int size) {
        byte[] bytes = new byte[size];
        String words = "public class App { static String greeting() { return \"hello\"; } }\n";
        Random random = new Random(size);
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) words.charAt((i + random.nextInt(3)) % words.length());
        }
        return bytes;
    }
}
