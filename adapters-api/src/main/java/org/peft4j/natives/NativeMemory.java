package org.peft4j.natives;

import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * The C allocator setting under which ND4J, libnd4j and oneDNN get their native memory, and the setting peft4j
 * recommends.
 *
 * <p>Every array ND4J creates outside a workspace, and every buffer oneDNN allocates inside an op, comes from the
 * C library's {@code malloc}. With glibc's defaults a block above 128 KiB (a few of its first frees raise that
 * bound) is mapped fresh from the kernel and unmapped when freed, and the top of the heap is returned to the
 * kernel once 128 KiB-256 KiB are free there. A training step allocates hundreds of megabytes in blocks of one to
 * thirty megabytes, so every step pays a page fault per 4 KiB page it touches (the kernel zeroes each), which
 * on a virtual machine costs several microseconds. Measured on a 2-vCPU virtual machine: about 120,000 page
 * faults per VGG16 step at 64x64, a third of the step.
 *
 * <p>{@link #RECOMMENDED} keeps freed memory in the process instead: every block from one heap that is never
 * trimmed and grows 256 MiB at a time. Raising the mapping threshold alone is not enough, for two reasons. glibc
 * caps the threshold at 32 MiB, while oneDNN allocates a scratchpad for each call of a convolution: 35-53 MiB
 * for some of VGG16's backward passes at 64x64, 72-131 MiB for DL4J's own full fine-tuning of it, so these blocks
 * were still mapped and unmapped per call; {@code glibc.malloc.mmap_max=0} turns mapping per block off. And a
 * JVM's {@code main} thread is not the process's first thread, so it allocates from one of glibc's per-thread
 * heaps, which hold at most 64 MiB and hand a larger block to the kernel on its own however the tunables are
 * set; {@code glibc.malloc.arena_max=1} gives every thread the main heap, which has no such bound. Measured on a
 * 2-vCPU virtual machine: about 109,000 page faults per full fine-tuning step of VGG16 at 64x64 without the last
 * two settings, none with them, and the step 2.7x shorter. The price is a resident size that stays at its peak,
 * and threads that allocate at the same moment wait for each other (training issues its ops from one thread).
 * glibc reads the setting from the environment variable {@code GLIBC_TUNABLES} when a process starts, so it
 * cannot be set from Java; peft4j's command line sets it in its launcher script and its test suites in the test
 * JVM's environment, and an application sets it where it starts the JVM. It helps PyTorch on the CPU too (its
 * allocator is {@code malloc} as well), so side-by-side timings run both under the same setting. On a C library
 * other than glibc the variable is ignored.
 *
 * <p>JavaCPP, through which ND4J passes every op's arguments, checks the process's resident size on each
 * allocation of a native pointer when its {@code org.bytedeco.javacpp.maxPhysicalBytes} limit is set (by default
 * four times the maximum Java heap, a bound the resident size rarely approaches): a few calls per ND4J op, 3-6% of
 * the training thread's time in profiles of small networks. {@link #JAVACPP_PHYSICAL_CHECK_OFF} turns that check
 * off; JavaCPP's own byte count ({@code maxBytes}) still bounds its allocations. It is a system property read when
 * JavaCPP loads, so it goes on the JVM's command line: peft4j's launcher and test suites set it.
 */
public final class NativeMemory {

    /** The environment variable glibc reads its tunables from at process start. */
    public static final String ENVIRONMENT_VARIABLE = "GLIBC_TUNABLES";

    /** Keep freed native memory in the process: one heap for all threads, no mapping per block, no trimming. */
    public static final String RECOMMENDED = "glibc.malloc.mmap_threshold=33554432"
            + ":glibc.malloc.trim_threshold=4294967296:glibc.malloc.top_pad=268435456"
            + ":glibc.malloc.mmap_max=0:glibc.malloc.arena_max=1";

    /** The JVM option that turns off JavaCPP's resident-size check on every pointer allocation. */
    public static final String JAVACPP_PHYSICAL_CHECK_OFF = "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0";

    private static final String JAVACPP_PHYSICAL_LIMIT = "org.bytedeco.javacpp.maxPhysicalBytes";

    private static final EnvironmentSetting TUNABLES =
            new EnvironmentSetting(ENVIRONMENT_VARIABLE, "glibc defaults", UnaryOperator.identity());

    private NativeMemory() {
    }

    /** This process's allocator setting: the value of {@code GLIBC_TUNABLES}, or {@code glibc defaults}. */
    public static String setting() {
        return TUNABLES.current();
    }

    /**
     * Whether this process's JavaCPP checks its resident size on every pointer allocation: {@code off} when
     * {@link #JAVACPP_PHYSICAL_CHECK_OFF} (or any limit of 0) is set, else {@code on}.
     */
    public static String javacppPhysicalCheck() {
        return physicalCheck(System.getProperty(JAVACPP_PHYSICAL_LIMIT,
                System.getProperty(JAVACPP_PHYSICAL_LIMIT.toLowerCase(Locale.ROOT))));
    }

    /** {@code limit} (the property's value, or null) as {@code on}/{@code off} (pure, for tests). */
    static String physicalCheck(String limit) {
        return limit != null && limit.strip().equals("0") ? "off" : "on";
    }

    /** True when this process keeps freed native memory (its {@code GLIBC_TUNABLES} sets malloc's trim threshold). */
    public static boolean keepsFreedMemory() {
        return keepsFreedMemory(System.getenv(ENVIRONMENT_VARIABLE));
    }

    /** {@code tunables} as the setting's description (pure, for tests). */
    static String describe(String tunables) {
        return TUNABLES.describe(tunables);
    }

    /** True when {@code tunables} raises malloc's trim threshold (pure, for tests). */
    static boolean keepsFreedMemory(String tunables) {
        return tunables != null && tunables.toLowerCase(Locale.ROOT).contains("glibc.malloc.trim_threshold=");
    }
}
