package io.github.herokupipeline.source;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A gzip stream whose exact length is known before its first byte is sent, so that it can be uploaded with one
 * {@code PUT} (an object store wants the {@code Content-Length} first) while parts of it are still being read.
 *
 * <p>It is made in two passes. The first ({@link Writer}) deflates its input on several cores into a spool file, the
 * way pigz does: the input is cut into blocks, each deflated on its own thread with the previous block's last
 * 32 KiB as dictionary and ended with a sync flush; a block that deflate would barely shrink is stored as it is.
 * Stretches the caller <em>defers</em> (large content deflate cannot shrink: images, jars, other archives) are not
 * read in that pass at all: as stored deflate blocks their size is known from their length alone. The second pass
 * ({@link #writeTo}) copies the spool and reads each deferred stretch from its source, as the bytes go out.
 *
 * <p>The result is one gzip member holding one deflate stream, which any gzip reader reads. It depends only on the
 * input, the level and which stretches are deferred, never on the number of threads, so archives stay
 * reproducible. Memory stays bounded: at most two blocks per thread are in flight, and deferred content streams.
 */
final class SegmentedGzip {

    static final int BLOCK_SIZE = 128 * 1024;
    private static final int DICTIONARY_SIZE = 32 * 1024;
    /** Four samples of this size, spread over a block, decide whether it is worth deflating. */
    private static final int SAMPLE_SIZE = 4 * 1024;
    private static final int SAMPLES = 4;
    /** A sample that deflates to more than this share of its size counts as incompressible. */
    private static final double INCOMPRESSIBLE = 0.97;
    /** The most a stored deflate block holds, and the framing each one costs. */
    private static final int MAX_STORED = 65_535;
    private static final int STORED_HEADER = 5;
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, Deflater.DEFLATED, 0, 0, 0, 0, 0, 0, 3};
    /** An empty stored block marked final: every other block ends with a sync flush, so the stream ends here. */
    private static final byte[] FINAL_BLOCK = {1, 0, 0, (byte) 0xff, (byte) 0xff};
    private static final int TRAILER = 8;
    /** What a deferred stretch is written as in the first pass; never written to. */
    static final byte[] ZEROS = new byte[64 * 1024];

    /** Where bytes come from in the second pass: a deferred stretch's source, or the spool. */
    @FunctionalInterface
    interface Content {
        InputStream open() throws IOException;
    }

    private sealed interface Segment permits Spooled, Deferred {
        long rawLength();

        long compressedLength();
    }

    /** Deflated bytes in the spool, with the CRC-32 of what they inflate to. */
    private record Spooled(long compressedLength, long rawLength, long crc) implements Segment {}

    /** {@code contentLength} bytes of {@code content} followed by zeros up to {@code rawLength}, stored. */
    private record Deferred(Content content, long contentLength, long rawLength) implements Segment {
        @Override
        public long compressedLength() {
            return rawLength + STORED_HEADER * ((rawLength + MAX_STORED - 1) / MAX_STORED);
        }
    }

    private final Path spool;
    private final List<Segment> segments;
    private final long rawLength;
    private final long length;

    private SegmentedGzip(Path spool, List<Segment> segments) {
        this.spool = spool;
        this.segments = List.copyOf(segments);
        this.rawLength = segments.stream().mapToLong(Segment::rawLength).sum();
        this.length = HEADER.length + segments.stream().mapToLong(Segment::compressedLength).sum()
                + FINAL_BLOCK.length + TRAILER;
    }

    /** The exact number of bytes {@link #writeTo} writes. */
    long length() {
        return length;
    }

    /** How many of the input's bytes are read only in the second pass. */
    long deferredBytes() {
        return segments.stream().filter(Deferred.class::isInstance).mapToLong(Segment::rawLength).sum();
    }

    /**
     * Writes the whole gzip stream: the spool, with each deferred stretch read from its source in its place. Can be
     * called again (a retried upload). An {@link IOException} comes from {@code out}; a failure to read the stream's
     * own parts (the spool, a deferred source, or one that gives another length than it was deferred with) is an
     * {@link UncheckedIOException}, so that a caller retrying failed writes does not retry what cannot succeed.
     * Either way the stream ends before reaching another length than {@link #length()}.
     */
    void writeTo(OutputStream out) throws IOException {
        out.write(HEADER);
        long crc = 0;
        try (InputStream spooled = new BufferedInputStream(open("the spool " + spool,
                () -> Files.newInputStream(spool)), 1 << 16)) {
            byte[] buffer = new byte[STORED_HEADER + MAX_STORED];
            for (Segment segment : segments) {
                long segmentCrc;
                if (segment instanceof Spooled part) {
                    copy(spooled, out, part.compressedLength(), buffer);
                    segmentCrc = part.crc();
                } else {
                    segmentCrc = writeStored((Deferred) segment, out, buffer);
                }
                crc = Crc32.combine(crc, segmentCrc, segment.rawLength());
            }
        }
        out.write(FINAL_BLOCK);
        byte[] trailer = new byte[TRAILER];
        for (int i = 0; i < 4; i++) {
            trailer[i] = (byte) (crc >>> (8 * i));
            trailer[4 + i] = (byte) (rawLength >>> (8 * i));
        }
        out.write(trailer);
    }

    private static InputStream open(String what, Content content) {
        try {
            return content.open();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + what + " for the archive: " + e.getMessage(), e);
        }
    }

    private static int read(InputStream in, byte[] buffer, int offset, int length) {
        try {
            return in.read(buffer, offset, length);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read a part of the archive: " + e.getMessage(), e);
        }
    }

    private static UncheckedIOException unreadable(String message) {
        return new UncheckedIOException(new IOException(message));
    }

    private static void copy(InputStream in, OutputStream out, long count, byte[] buffer) throws IOException {
        long left = count;
        while (left > 0) {
            int read = read(in, buffer, 0, (int) Math.min(buffer.length, left));
            if (read < 0) {
                throw unreadable("the archive's spool file ended early: it was changed or truncated");
            }
            out.write(buffer, 0, read);
            left -= read;
        }
    }

    /** Writes the stretch as stored blocks and returns the CRC-32 of its bytes. */
    private static long writeStored(Deferred stretch, OutputStream out, byte[] block) throws IOException {
        CRC32 crc = new CRC32();
        try (InputStream in = open("a file", stretch.content())) {
            long contentLeft = stretch.contentLength();
            long rawLeft = stretch.rawLength();
            while (rawLeft > 0) {
                int size = (int) Math.min(MAX_STORED, rawLeft);
                int filled = 0;
                while (filled < size && contentLeft > 0) {
                    int read = read(in, block, STORED_HEADER + filled, (int) Math.min(size - filled, contentLeft));
                    if (read < 0) {
                        throw unreadable("a file of the archive gave " + (stretch.contentLength() - contentLeft)
                                + " bytes instead of " + stretch.contentLength());
                    }
                    filled += read;
                    contentLeft -= read;
                }
                Arrays.fill(block, STORED_HEADER + filled, STORED_HEADER + size, (byte) 0);
                block[0] = 0; // not final, stored
                block[1] = (byte) size;
                block[2] = (byte) (size >>> 8);
                block[3] = (byte) ~size;
                block[4] = (byte) (~size >>> 8);
                crc.update(block, STORED_HEADER, size);
                out.write(block, 0, STORED_HEADER + size);
                rawLeft -= size;
            }
            if (read(in, block, 0, 1) > 0) {
                throw unreadable("a file of the archive gave more than the " + stretch.contentLength()
                        + " bytes it was planned with");
            }
        }
        return crc.getValue();
    }

    /**
     * False when every sample of the input is incompressible; input with any compressible part is worth deflating.
     * Too little input to judge counts as worth it.
     */
    static boolean worthDeflating(byte[] input, int length) {
        if (length < SAMPLES * SAMPLE_SIZE) {
            return true;
        }
        Deflater probe = new Deflater(Deflater.BEST_SPEED, true);
        try {
            byte[] output = new byte[2 * SAMPLE_SIZE];
            int stride = (length - SAMPLE_SIZE) / (SAMPLES - 1);
            for (int sample = 0; sample < SAMPLES; sample++) {
                probe.reset();
                probe.setInput(input, sample * stride, SAMPLE_SIZE);
                probe.finish();
                int size = 0;
                while (!probe.finished()) {
                    size += probe.deflate(output);
                }
                if (size < SAMPLE_SIZE * INCOMPRESSIBLE) {
                    return true;
                }
            }
            return false;
        } finally {
            probe.end();
        }
    }

    /**
     * The first pass: takes the input in order, deflating it into the spool, except that after
     * {@link #defer} the stretch it names must be written as zeros (the tar writer's own padding, or the caller's
     * placeholder), which are dropped. {@link #finish} gives the stream; {@link #close} without it only stops the
     * threads (the caller removes the spool).
     */
    static final class Writer extends OutputStream {
        private final Path spool;
        private final OutputStream out;
        private final int level;
        private final ExecutorService pool;
        private final int maxInFlight;
        private final Deque<Future<byte[]>> inFlight = new ArrayDeque<>();
        private final List<Segment> segments = new ArrayList<>();
        private final CRC32 crc = new CRC32();
        private long spooled;
        private long segmentStart;
        private long segmentRaw;
        private long zerosToDrop;
        private byte[] block = new byte[BLOCK_SIZE];
        private int filled;
        private byte[] dictionary;
        private boolean closed;

        Writer(Path spool, OutputStream spoolFile, int level, int threads) {
            this.spool = spool;
            this.out = new BufferedOutputStream(spoolFile, 1 << 16);
            this.level = level;
            int workers = Math.max(1, threads);
            this.maxInFlight = 2 * workers;
            this.pool = Executors.newFixedThreadPool(workers, runnable -> {
                Thread thread = new Thread(runnable, "heroku-pipeline-gzip");
                thread.setDaemon(true);
                return thread;
            });
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            while (length > 0) {
                if (zerosToDrop > 0) {
                    int chunk = (int) Math.min(Math.min(length, zerosToDrop), ZEROS.length);
                    if (Arrays.mismatch(bytes, offset, offset + chunk, ZEROS, 0, chunk) >= 0) {
                        throw new IllegalStateException("a deferred stretch of the stream was not written as"
                                + " zeros: the stretch was deferred at the wrong place");
                    }
                    zerosToDrop -= chunk;
                    offset += chunk;
                    length -= chunk;
                    continue;
                }
                int chunk = Math.min(length, BLOCK_SIZE - filled);
                System.arraycopy(bytes, offset, block, filled, chunk);
                filled += chunk;
                offset += chunk;
                length -= chunk;
                if (filled == BLOCK_SIZE) {
                    submit();
                }
            }
        }

        /**
         * The next {@code rawLength} bytes of the input are {@code contentLength} bytes of {@code content} followed
         * by zeros: they are written here as zeros, and read from {@code content} only by {@link #writeTo}.
         */
        void defer(Content content, long contentLength, long rawLength) throws IOException {
            if (zerosToDrop > 0 || contentLength > rawLength) {
                throw new IllegalStateException("deferred stretches follow one another's end");
            }
            endSegment();
            segments.add(new Deferred(content, contentLength, rawLength));
            zerosToDrop = rawLength;
        }

        /** Ends the first pass: the spool is complete, and the stream can be written. */
        SegmentedGzip finish() throws IOException {
            if (zerosToDrop > 0) {
                throw new IllegalStateException("the input ended inside a deferred stretch");
            }
            endSegment();
            close();
            return new SegmentedGzip(spool, segments);
        }

        private void endSegment() throws IOException {
            if (filled > 0) {
                submit();
            }
            while (!inFlight.isEmpty()) {
                writeOldest();
            }
            if (segmentRaw > 0) {
                segments.add(new Spooled(spooled - segmentStart, segmentRaw, crc.getValue()));
            }
            crc.reset();
            segmentStart = spooled;
            segmentRaw = 0;
            dictionary = null; // what came before a deferred stretch is not known to its reader's window
        }

        private void submit() throws IOException {
            byte[] input = block;
            int length = filled;
            byte[] previous = dictionary;
            crc.update(input, 0, length);
            segmentRaw += length;
            dictionary = Arrays.copyOfRange(input, Math.max(0, length - DICTIONARY_SIZE), length);
            inFlight.addLast(pool.submit(() -> deflate(input, length, previous)));
            block = new byte[BLOCK_SIZE];
            filled = 0;
            while (inFlight.size() >= maxInFlight) {
                writeOldest();
            }
        }

        private byte[] deflate(byte[] input, int length, byte[] previous) {
            boolean worthIt = level != Deflater.NO_COMPRESSION && worthDeflating(input, length);
            Deflater deflater = new Deflater(worthIt ? level : Deflater.NO_COMPRESSION, true);
            try {
                if (previous != null) {
                    deflater.setDictionary(previous);
                }
                deflater.setInput(input, 0, length);
                ByteArrayOutputStream compressed = new ByteArrayOutputStream(length / 2 + 64);
                byte[] buffer = new byte[64 * 1024];
                int written;
                do {
                    written = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
                    compressed.write(buffer, 0, written);
                } while (written == buffer.length);
                return compressed.toByteArray();
            } finally {
                deflater.end();
            }
        }

        private void writeOldest() throws IOException {
            try {
                byte[] compressed = inFlight.removeFirst().get();
                out.write(compressed);
                spooled += compressed.length;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while compressing");
            } catch (ExecutionException e) {
                throw new IOException("compressing the archive failed", e.getCause());
            }
        }

        /** Stops the threads and closes the spool; each task deflates one block and ends soon. */
        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            pool.shutdownNow();
            boolean interrupted = false;
            while (!pool.isTerminated()) {
                try {
                    pool.awaitTermination(1, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            out.close();
        }
    }
}
