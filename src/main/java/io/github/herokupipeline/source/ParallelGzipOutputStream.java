package io.github.herokupipeline.source;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A gzip stream compressed on several cores, the way pigz does it: the input is cut into blocks, each block is
 * deflated on its own thread with the previous block's last 32 KiB as dictionary and ends with a sync flush, and
 * the pieces are written in order as one gzip member. Any gzip reader reads it. The output depends only on the
 * input and level, not on the number of threads, so archives stay reproducible. Memory stays bounded: at most two
 * blocks per thread are in flight. A block that deflate would barely shrink (images, jars, other compressed data)
 * is stored as it is: deflating it costs the most time of all blocks, for nothing, while the tests compete for
 * the same cores.
 */
final class ParallelGzipOutputStream extends OutputStream {

    static final int BLOCK_SIZE = 128 * 1024;
    private static final int DICTIONARY_SIZE = 32 * 1024;
    /** Four samples of this size, spread over a block, decide whether it is worth deflating. */
    private static final int SAMPLE_SIZE = 4 * 1024;
    private static final int SAMPLES = 4;
    /** A sample that deflates to more than this share of its size counts as incompressible. */
    private static final double INCOMPRESSIBLE = 0.97;
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, Deflater.DEFLATED, 0, 0, 0, 0, 0, 0, 3};

    private final OutputStream out;
    private final int level;
    private final ExecutorService pool;
    private final int maxInFlight;
    private final Deque<Future<byte[]>> inFlight = new ArrayDeque<>();
    private final CRC32 crc = new CRC32();
    private long totalIn;
    private byte[] block = new byte[BLOCK_SIZE];
    private int filled;
    private byte[] dictionary;
    private boolean closed;

    ParallelGzipOutputStream(OutputStream out, int level, int threads) throws IOException {
        this.out = out;
        this.level = level;
        int workers = Math.max(1, threads);
        this.maxInFlight = 2 * workers;
        this.pool = Executors.newFixedThreadPool(workers, runnable -> {
            Thread thread = new Thread(runnable, "heroku-pipeline-gzip");
            thread.setDaemon(true);
            return thread;
        });
        out.write(HEADER);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        while (length > 0) {
            int chunk = Math.min(length, BLOCK_SIZE - filled);
            System.arraycopy(bytes, offset, block, filled, chunk);
            filled += chunk;
            offset += chunk;
            length -= chunk;
            if (filled == BLOCK_SIZE) {
                submit(false);
            }
        }
    }

    private void submit(boolean last) throws IOException {
        byte[] input = block;
        int length = filled;
        byte[] previous = dictionary;
        crc.update(input, 0, length);
        totalIn += length;
        if (length > 0) {
            dictionary = Arrays.copyOfRange(input, Math.max(0, length - DICTIONARY_SIZE), length);
        }
        inFlight.addLast(pool.submit(() -> deflate(input, length, previous, last)));
        block = new byte[BLOCK_SIZE];
        filled = 0;
        while (inFlight.size() >= maxInFlight) {
            writeOldest();
        }
    }

    private byte[] deflate(byte[] input, int length, byte[] previous, boolean last) {
        Deflater deflater = new Deflater(worthDeflating(input, length) ? level : Deflater.NO_COMPRESSION, true);
        try {
            if (previous != null) {
                deflater.setDictionary(previous);
            }
            deflater.setInput(input, 0, length);
            ByteArrayOutputStream compressed = new ByteArrayOutputStream(length / 2 + 64);
            byte[] buffer = new byte[64 * 1024];
            if (last) {
                deflater.finish();
                while (!deflater.finished()) {
                    compressed.write(buffer, 0, deflater.deflate(buffer));
                }
            } else {
                int written;
                do {
                    written = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
                    compressed.write(buffer, 0, written);
                } while (written == buffer.length);
            }
            return compressed.toByteArray();
        } finally {
            deflater.end();
        }
    }

    /** False when every sample of the block is incompressible; a block with any compressible part is deflated. */
    boolean worthDeflating(byte[] input, int length) {
        if (level == Deflater.NO_COMPRESSION || length < SAMPLES * SAMPLE_SIZE) {
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

    private void writeOldest() throws IOException {
        try {
            out.write(inFlight.removeFirst().get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while compressing");
        } catch (ExecutionException e) {
            throw new IOException("compressing the archive failed", e.getCause());
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            submit(true);
            while (!inFlight.isEmpty()) {
                writeOldest();
            }
            long value = crc.getValue();
            byte[] trailer = new byte[8];
            for (int i = 0; i < 4; i++) {
                trailer[i] = (byte) (value >>> (8 * i));
                trailer[4 + i] = (byte) (totalIn >>> (8 * i));
            }
            out.write(trailer);
        } finally {
            pool.shutdownNow();
            awaitWorkers();
            out.close();
        }
    }

    /** Each task deflates one block and ends soon; waiting for them means no compression outlives the stream. */
    private void awaitWorkers() {
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
    }
}
