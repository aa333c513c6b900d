package io.github.herokupipeline.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SegmentedGzipTest {

    @TempDir
    Path temp;
    private int spools;

    private static final int BLOCK = SegmentedGzip.BLOCK_SIZE;

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 1000, BLOCK - 1, BLOCK, BLOCK + 1, 3 * BLOCK + 17, 40 * BLOCK + 5})
    void anyGzipReaderGetsTheInputBack(int size) throws IOException {
        for (byte[] input : new byte[][] {random(size), text(size)}) {
            assertThat(gunzip(compress(input, 4))).isEqualTo(input);
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

    @ParameterizedTest
    @ValueSource(ints = {1, 3})
    void deferredStretches_areReadOnlyWhenWritten_andTheLengthIsKnownBeforehand(int threads) throws IOException {
        byte[] text = text(3 * BLOCK + 11);
        byte[] noise = random(300_000);
        byte[] exact = random(2 * 65_535);
        byte[] input = new byte[text.length + noise.length + 212 + exact.length + text.length];
        int at = 0;
        System.arraycopy(text, 0, input, at, text.length);
        at += text.length;
        int first = at;
        System.arraycopy(noise, 0, input, at, noise.length); // then 212 zeros: a tar entry's padding
        at += noise.length + 212;
        int second = at;
        System.arraycopy(exact, 0, input, at, exact.length);
        at += exact.length;
        System.arraycopy(text, 0, input, at, text.length);

        SegmentedGzip gzip = plan(input, threads, new Stretch(first, noise.length, noise.length + 212),
                new Stretch(second, exact.length, exact.length));

        assertThat(gzip.deferredBytes()).isEqualTo(noise.length + 212 + exact.length);
        assertThat(Files.size(temp.resolve("spool-0"))).as("only the text is spooled").isLessThan(text.length);
        byte[] written = write(gzip);
        assertThat(gunzip(written)).isEqualTo(input);
        try (InputStream in = new org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream(
                new ByteArrayInputStream(written))) {
            assertThat(in.readAllBytes()).isEqualTo(input);
        }
        assertThat(write(gzip)).as("written again, for a retried upload").isEqualTo(written);
        assertThat(written).isEqualTo(write(plan(input, 1, new Stretch(first, noise.length, noise.length + 212),
                new Stretch(second, exact.length, exact.length))));
    }

    @Test
    void aDeferredStretchAtTheVeryStartOrEnd_stillMakesOneValidStream() throws IOException {
        byte[] input = random(100_000);
        SegmentedGzip whole = plan(input, 2, new Stretch(0, input.length, input.length));
        assertThat(gunzip(write(whole))).isEqualTo(input);
        byte[] tail = new byte[50_000 + 100_000];
        System.arraycopy(text(50_000), 0, tail, 0, 50_000);
        System.arraycopy(input, 0, tail, 50_000, 100_000);
        assertThat(gunzip(write(plan(tail, 2, new Stretch(50_000, 100_000, 100_000))))).isEqualTo(tail);
        assertThat(gunzip(write(plan(new byte[0], 2)))).isEmpty();
    }

    @Test
    void aDeferredStretchMustBeWrittenAsZeros_soAMisplacedOneIsCaught() throws IOException {
        Path spool = temp.resolve("spool");
        try (SegmentedGzip.Writer writer = new SegmentedGzip.Writer(spool, Files.newOutputStream(spool), 6, 1)) {
            writer.defer(() -> new ByteArrayInputStream(new byte[10]), 10, 10);
            assertThatThrownBy(() -> writer.write(new byte[] {0, 0, 1}))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("zeros");
        }
    }

    @Test
    void deferredContentOfAnotherLength_failsTheWrite_insteadOfSendingAWrongLength() throws IOException {
        byte[] input = random(1000);
        Path spool = temp.resolve("spool");
        SegmentedGzip shorter;
        SegmentedGzip longer;
        try (SegmentedGzip.Writer writer = new SegmentedGzip.Writer(spool, Files.newOutputStream(spool), 6, 1)) {
            writer.defer(() -> new ByteArrayInputStream(input, 0, 999), 1000, 1000);
            writer.write(new byte[1000]);
            shorter = writer.finish();
        }
        Path spool2 = temp.resolve("spool2");
        try (SegmentedGzip.Writer writer = new SegmentedGzip.Writer(spool2, Files.newOutputStream(spool2), 6, 1)) {
            writer.defer(() -> new ByteArrayInputStream(input), 999, 1000);
            writer.write(new byte[1000]);
            longer = writer.finish();
        }
        // not an IOException: a caller that retries failed writes (an upload) must not retry these
        assertThatThrownBy(() -> shorter.writeTo(OutputStream.nullOutputStream()))
                .isInstanceOf(java.io.UncheckedIOException.class).hasMessageContaining("999 bytes instead of 1000");
        assertThatThrownBy(() -> longer.writeTo(OutputStream.nullOutputStream()))
                .isInstanceOf(java.io.UncheckedIOException.class).hasMessageContaining("more than the 999 bytes");
    }

    @Test
    void crc32Combine_givesTheCrcOfBothPartsInARow() {
        Random random = new Random(3);
        for (int run = 0; run < 200; run++) {
            byte[] all = new byte[random.nextInt(5000)];
            random.nextBytes(all);
            int split = all.length == 0 ? 0 : random.nextInt(all.length + 1);
            assertThat(Crc32.combine(crc(all, 0, split), crc(all, split, all.length - split), all.length - split))
                    .isEqualTo(crc(all, 0, all.length));
        }
    }

    private static long crc(byte[] bytes, int offset, int length) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(bytes, offset, length);
        return crc.getValue();
    }

    @Test
    void onlyABlockWithNothingToGain_isStored() throws IOException {
        assertThat(SegmentedGzip.worthDeflating(random(BLOCK), BLOCK)).isFalse();
        assertThat(SegmentedGzip.worthDeflating(text(BLOCK), BLOCK)).isTrue();
        byte[] mostlyNoise = random(BLOCK);
        System.arraycopy(text(BLOCK), 0, mostlyNoise, BLOCK - 8192, 8192);
        assertThat(SegmentedGzip.worthDeflating(mostlyNoise, BLOCK)).isTrue();
        assertThat(SegmentedGzip.worthDeflating(random(1000), 1000)).isTrue(); // too small to judge: deflated
    }

    private byte[] compress(byte[] input, int threads) throws IOException {
        return write(plan(input, threads, new Stretch[0]));
    }

    /** Plans {@code input} with the stretches deferred, writing it in uneven chunks as the tar writer would. */
    private SegmentedGzip plan(byte[] input, int threads, Stretch... deferred) throws IOException {
        Path spool = temp.resolve("spool-" + spools++);
        try (SegmentedGzip.Writer writer = new SegmentedGzip.Writer(spool, Files.newOutputStream(spool), 6,
                threads)) {
            int offset = 0;
            Random chunks = new Random(7);
            for (Stretch stretch : deferred) {
                feed(writer, input, offset, stretch.from(), chunks);
                writer.defer(() -> new ByteArrayInputStream(input, stretch.from(), stretch.content()),
                        stretch.content(), stretch.raw());
                feed(writer, new byte[stretch.raw()], 0, stretch.raw(), chunks);
                offset = stretch.from() + stretch.raw();
            }
            feed(writer, input, offset, input.length, chunks);
            return writer.finish();
        }
    }

    private static void feed(OutputStream out, byte[] input, int from, int to, Random chunks) throws IOException {
        int offset = from;
        while (offset < to) {
            int length = Math.min(to - offset, 1 + chunks.nextInt(70_000));
            out.write(input, offset, length);
            offset += length;
        }
    }

    private static byte[] write(SegmentedGzip gzip) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        gzip.writeTo(bytes);
        assertThat((long) bytes.size()).as("the length known beforehand").isEqualTo(gzip.length());
        return bytes.toByteArray();
    }

    private static byte[] gunzip(byte[] compressed) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            return in.readAllBytes();
        }
    }

    /** A deferred stretch of the input: {@code content} bytes from {@code from}, then zeros up to {@code raw}. */
    private record Stretch(int from, int content, int raw) {}

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
