package org.peft4j.bench.speed;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.function.LongSupplier;

/**
 * How long the speed protocol's untimed rounds go on: at least {@code minRounds}; then, with
 * {@code untilJitSettles}, until the JVM's JIT compiler has settled, that is until it spent at most
 * {@link #SETTLED_SHARE} of the wall time of the last {@link #WINDOW} rounds compiling, or until
 * {@code maxSeconds} of warm-up have passed.
 *
 * <p>Why: a training step's Java code (DL4J's layers, ND4J's op calls, the adapters' own algebra) runs interpreted
 * or half-compiled for the first hundred steps or so, and the compiler's threads take CPU time from the native
 * ops' threads meanwhile. A fixed count of five warm-ups timed that transient, which a training run of thousands
 * of steps does not see and PyTorch, which has no JIT compiler, does not pay (measured in docs/performance.md,
 * "The JIT compiler's warm-up").
 *
 * @param minRounds       untimed rounds at least
 * @param untilJitSettles whether to go on until the JIT compiler has settled
 * @param maxSeconds      the longest warm-up while the compiler has not settled
 */
record WarmUp(int minRounds, boolean untilJitSettles, double maxSeconds) {

    /** Rounds over which the compiler's share of the wall time is taken. */
    static final int WINDOW = 10;
    /** The compiler's share of the last rounds' wall time below which it counts as settled. */
    static final double SETTLED_SHARE = 0.02;
    /** The protocol's longest warm-up per phase (training, inference) of one network. */
    static final double PROTOCOL_MAX_SECONDS = 180;

    WarmUp {
        if (minRounds < 0) {
            throw new IllegalArgumentException("warm-up rounds must be >= 0, got " + minRounds);
        }
    }

    /** Exactly {@code rounds} untimed rounds. */
    static WarmUp rounds(int rounds) {
        return new WarmUp(rounds, false, 0);
    }

    /**
     * The JVM's total JIT compilation time in milliseconds, or null where the JVM does not report it (no JIT
     * compiler, or no time monitoring).
     */
    static LongSupplier jitClock() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit == null || !jit.isCompilationTimeMonitoringSupported() ? null : jit::getTotalCompilationTime;
    }
}
