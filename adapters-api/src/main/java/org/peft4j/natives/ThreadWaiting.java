package org.peft4j.natives;

import java.util.Locale;

/**
 * How the idle native threads of ND4J wait for their next piece of work, and the settings peft4j recommends.
 *
 * <p>ND4J's ops run on two sets of native threads besides the Java thread that issues them:
 * <ul>
 *   <li><b>OpenMP</b> (GNU libgomp): libnd4j's own parallel loops and oneDNN's convolutions. By default an idle
 *       libgomp thread spins for a while before it sleeps. {@link #RECOMMENDED} ({@code OMP_WAIT_POLICY=passive})
 *       makes it sleep at once.</li>
 *   <li><b>OpenBLAS</b>: the matrix products of libnd4j's {@code matmul} op and of DL4J's dense and (without its
 *       oneDNN helpers) convolution layers. OpenBLAS keeps a pool of worker threads of its own that, after each
 *       product, spin on {@code sched_yield} for {@code 2^28} CPU cycles (about a tenth of a second) before they
 *       sleep. A training step calls a product every few milliseconds, so one worker spun through the whole step:
 *       on a 2-vCPU machine it took a third of the CPU time away from the OpenMP threads running the
 *       convolutions. {@link #BLAS_RECOMMENDED} ({@code OPENBLAS_THREAD_TIMEOUT=4}, OpenBLAS's minimum:
 *       {@code 2^4} cycles) makes it sleep at once; waking it for the next product costs microseconds.</li>
 * </ul>
 * On a machine with as many CPUs as ND4J threads, spinning threads hold the CPUs that the next op is waiting for,
 * and anything else running on the machine makes that worse ({@code docs/performance.md}).
 *
 * <p>Both libraries read their variable from the environment when they are loaded, so neither can be set from
 * Java: peft4j's launcher script and test suites set them, and an application sets them where it starts the JVM,
 * like {@code GLIBC_TUNABLES} ({@link NativeMemory}). ND4J sets OpenBLAS's thread count itself, so
 * {@code OPENBLAS_NUM_THREADS=1} does not stop the spinning.
 */
public final class ThreadWaiting {

    /** The environment variable OpenMP reads its waiting policy from. */
    public static final String ENVIRONMENT_VARIABLE = "OMP_WAIT_POLICY";

    /** Idle OpenMP threads sleep at once instead of spinning. */
    public static final String RECOMMENDED = "passive";

    /** The environment variable OpenBLAS reads its worker threads' spin time from ({@code 2^value} cycles, 4-30). */
    public static final String BLAS_ENVIRONMENT_VARIABLE = "OPENBLAS_THREAD_TIMEOUT";

    /** Idle OpenBLAS workers sleep after {@code 2^4} cycles, OpenBLAS's shortest spin, instead of {@code 2^28}. */
    public static final String BLAS_RECOMMENDED = "4";

    private static final EnvironmentSetting POLICY = new EnvironmentSetting(ENVIRONMENT_VARIABLE, "OpenMP default",
            policy -> policy.strip().toLowerCase(Locale.ROOT));

    private static final EnvironmentSetting BLAS_TIMEOUT =
            new EnvironmentSetting(BLAS_ENVIRONMENT_VARIABLE, "OpenBLAS default", String::strip);

    private ThreadWaiting() {
    }

    /** This process's OpenMP wait policy: the value of {@code OMP_WAIT_POLICY}, or {@code OpenMP default}. */
    public static String setting() {
        return POLICY.current();
    }

    /** This process's OpenBLAS spin time: the value of {@code OPENBLAS_THREAD_TIMEOUT}, or {@code OpenBLAS default}. */
    public static String blasSetting() {
        return BLAS_TIMEOUT.current();
    }

    /** {@code policy} (the variable's value, or null) as the setting's description (pure, for tests). */
    static String describe(String policy) {
        return POLICY.describe(policy);
    }

    /** {@code timeout} (the variable's value, or null) as the setting's description (pure, for tests). */
    static String describeBlas(String timeout) {
        return BLAS_TIMEOUT.describe(timeout);
    }
}
