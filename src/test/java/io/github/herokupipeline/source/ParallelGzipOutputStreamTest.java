package io.github.herokupipeline.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import java.util.zip.GZIPInputStream;
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
