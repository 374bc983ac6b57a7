package org.peft4j.conv3d;

import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A scope in which ND4J runs its ops on one thread (libnd4j's master-thread limit set to 1; its
 * worker limit does not go below 2, measured), restored when the outermost scope closes:
 *
 * <pre>{@code
 * try (SingleNd4jThread ignored = SingleNd4jThread.enter()) {
 *     ... many medium-sized element-wise ops ...
 * }
 * }</pre>
 *
 * <p>For sequences of many memory-bound ops of a few megabytes, such as CoLoRA's depthwise
 * adapter gradients, where OpenMP's per-op fork and barrier cost more than a second thread gains:
 * measured on a 2-core machine shared with other jobs, one depthwise weight gradient took 920 ms
 * with ND4J's default 2 threads and 203 ms with 1. The limit is process-wide, so ops other
 * threads run meanwhile are single-threaded too (slower, never wrong).
 */
public final class SingleNd4jThread implements AutoCloseable {

    private static final Object LOCK = new Object();
    private static int depth;
    private static int savedMasterThreads;

    private SingleNd4jThread() {
    }

    /** Enters the scope; close it in a try-with-resources. */
    public static SingleNd4jThread enter() {
        synchronized (LOCK) {
            if (depth++ == 0) {
                Environment environment = Nd4j.getEnvironment();
                savedMasterThreads = environment.maxMasterThreads();
                environment.setMaxMasterThreads(1);
            }
        }
        return new SingleNd4jThread();
    }

    @Override
    public void close() {
        synchronized (LOCK) {
            if (--depth == 0) {
                Nd4j.getEnvironment().setMaxMasterThreads(savedMasterThreads);
            }
        }
    }
}
