package org.peft4j.bench.data;

import java.lang.management.ManagementFactory;

/** Bytes the current thread has allocated on the Java heap so far (HotSpot's per-thread counter), for tests. */
final class AllocationMeter {

    private AllocationMeter() {
    }

    static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(Thread.currentThread().getId());
    }
}
