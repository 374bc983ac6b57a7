package org.peft4j.natives;

import java.util.Locale;

/**
 * How the OpenMP threads of libnd4j and oneDNN wait for their next parallel region, and the setting peft4j
 * recommends.
 *
 * <p>libnd4j runs its ops on two kinds of threads: OpenMP (GNU libgomp, which oneDNN's convolutions use too) and a
 * thread pool of its own. By default an idle libgomp thread spins for a while before it sleeps, so after every
 * parallel op its threads keep the CPUs busy while the next op, often on the other pool or on the Java thread,
 * waits for a CPU. On a 2-vCPU machine that made small ops (a batched product of a few thousand numbers) take 8 or
 * 16 ms instead of 0.1-0.3 ms, and a training step 4-10x slower whenever anything else ran on the machine.
 * {@link #RECOMMENDED} ({@code passive}) makes idle OpenMP threads sleep at once.
 *
 * <p>libgomp reads {@code OMP_WAIT_POLICY} from the environment when it is loaded, so it cannot be set from Java:
 * peft4j's launcher script and test suites set it, and an application sets it where it starts the JVM, like
 * {@code GLIBC_TUNABLES} ({@link NativeMemory}).
 */
public final class ThreadWaiting {

    /** The environment variable OpenMP reads its waiting policy from. */
    public static final String ENVIRONMENT_VARIABLE = "OMP_WAIT_POLICY";

    /** Idle OpenMP threads sleep at once instead of spinning. */
    public static final String RECOMMENDED = "passive";

    private ThreadWaiting() {
    }

    /** This process's OpenMP wait policy: the value of {@code OMP_WAIT_POLICY}, or {@code OpenMP default}. */
    public static String setting() {
        return describe(System.getenv(ENVIRONMENT_VARIABLE));
    }

    /** {@code policy} (the variable's value, or null) as the setting's description (pure, for tests). */
    static String describe(String policy) {
        return policy == null || policy.isBlank() ? "OpenMP default" : policy.strip().toLowerCase(Locale.ROOT);
    }
}
