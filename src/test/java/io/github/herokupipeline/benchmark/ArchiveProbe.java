package io.github.herokupipeline.benchmark;

import io.github.herokupipeline.source.ArchiveSummary;
import io.github.herokupipeline.source.GitSource;
import io.github.herokupipeline.source.SourceArchive;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;

/**
 * Run in a forked JVM with a small heap: writes the source archive of a repository's HEAD and prints the time it
 * took and the peak heap used, to show archive creation streams rather than holding the archive in memory.
 */
public final class ArchiveProbe {

    public static void main(String[] args) throws Exception {
        Path repo = Path.of(args[0]);
        Path out = Path.of(args[1]);
        long started = System.nanoTime();
        ArchiveSummary summary;
        try (GitSource git = GitSource.open(repo)) {
            summary = SourceArchive.write(git, git.resolve(null), "", out);
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.println("archive " + millis + " " + peak + " " + summary.bytes() + " " + summary.files());
    }
}
