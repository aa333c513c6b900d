package io.github.herokupipeline.benchmark;

import io.github.herokupipeline.source.ArchiveSummary;
import io.github.herokupipeline.source.GitSource;
import io.github.herokupipeline.source.SourceArchive;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Run in a forked JVM with a small heap: writes the source archive of a repository's HEAD and prints the time it
 * took and the highest heap use sampled meanwhile (garbage included), to show archive creation streams rather than
 * holding the archive in memory.
 */
public final class ArchiveProbe {

    public static void main(String[] args) throws Exception {
        Path repo = Path.of(args[0]);
        Path out = Path.of(args[1]);
        AtomicLong peak = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        long started = System.nanoTime();
        ArchiveSummary summary;
        try (GitSource git = GitSource.open(repo)) {
            summary = SourceArchive.write(git, git.resolve(null), "", out);
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        sampler.interrupt();
        System.out.println("archive " + millis + " " + peak.get() + " " + summary.bytes() + " " + summary.files());
    }
}
