package org.peft4j.bench.speed;

import java.util.List;
import java.util.function.LongSupplier;

/**
 * Times several tasks in turns ({@link #time}; or each alone, {@link #eachAlone}): every round runs each task once,
 * starting one task later than the
 * round before. On a shared machine whose load drifts, turns spread the drift over all tasks
 * instead of charging it to whichever ran last, and the rotation spreads any effect of the
 * position within a round (measured: the tasks late in a round ran ~2-3% slower).
 */
final class RoundRobin {

    private RoundRobin() {
    }

    /**
     * Per task, the timed durations, and how the warm-up went.
     *
     * @param samples         per task, the timed durations in milliseconds, in run order
     * @param warmUpRounds    the untimed rounds run
     * @param jit             whether the JIT compiler had settled when timing began
     * @param jitMillisTimed  the JIT compiler's time during the timed rounds, -1 where not reported
     */
    record Rounds(double[][] samples, int warmUpRounds, SpeedReport.Jit jit, long jitMillisTimed) {
    }

    /**
     * Runs {@code warmups} untimed rounds, then {@code iterations} timed ones.
     *
     * @return per task, the {@code iterations} durations in milliseconds, in run order
     */
    static double[][] time(List<Runnable> tasks, int warmups, int iterations) {
        return time(tasks, WarmUp.rounds(warmups), iterations, null).samples();
    }

    /**
     * Runs untimed rounds as {@code warmUp} asks, then {@code iterations} timed ones.
     *
     * @param jitClock the JIT compiler's total time in milliseconds ({@link WarmUp#jitClock()}), or null
     */
    static Rounds time(List<Runnable> tasks, WarmUp warmUp, int iterations, LongSupplier jitClock) {
        boolean watch = warmUp.untilJitSettles() && jitClock != null;
        long[] jitAfter = new long[WarmUp.WINDOW + 1];
        long[] wallAfter = new long[WarmUp.WINDOW + 1];
        long start = System.nanoTime();
        jitAfter[0] = watch ? jitClock.getAsLong() : 0;
        wallAfter[0] = start;
        int rounds = 0;
        SpeedReport.Jit jit = watch ? SpeedReport.Jit.NOT_SETTLED : SpeedReport.Jit.NOT_WATCHED;
        while (rounds < warmUp.minRounds() || watch && jit != SpeedReport.Jit.SETTLED) {
            if (rounds >= warmUp.minRounds() && (System.nanoTime() - start) / 1e9 >= warmUp.maxSeconds()) {
                break;
            }
            tasks.forEach(Runnable::run);
            rounds++;
            if (watch) {
                int slot = rounds % jitAfter.length;
                jitAfter[slot] = jitClock.getAsLong();
                wallAfter[slot] = System.nanoTime();
                if (rounds >= WarmUp.WINDOW) {
                    int first = (rounds - WarmUp.WINDOW) % jitAfter.length;
                    double wallMillis = (wallAfter[slot] - wallAfter[first]) / 1e6;
                    boolean quiet = jitAfter[slot] - jitAfter[first] <= WarmUp.SETTLED_SHARE * wallMillis;
                    jit = quiet ? SpeedReport.Jit.SETTLED : SpeedReport.Jit.NOT_SETTLED;
                }
            }
        }
        long jitBefore = jitClock == null ? 0 : jitClock.getAsLong();
        double[][] samples = new double[tasks.size()][iterations];
        for (int round = 0; round < iterations; round++) {
            for (int turn = 0; turn < tasks.size(); turn++) {
                int t = (round + turn) % tasks.size();
                long begin = System.nanoTime();
                tasks.get(t).run();
                samples[t][round] = (System.nanoTime() - begin) / 1e6;
            }
        }
        long jitTimed = jitClock == null ? -1 : jitClock.getAsLong() - jitBefore;
        return new Rounds(samples, rounds, jit, jitTimed);
    }

    /**
     * The other order, for tasks that disturb each other (one allocating afresh makes the next pay for new pages):
     * each task alone, its {@code warmups} untimed runs and then its {@code iterations} timed ones.
     *
     * @return per task, the {@code iterations} durations in milliseconds, in run order
     */
    static double[][] eachAlone(List<Runnable> tasks, int warmups, int iterations) {
        double[][] samples = new double[tasks.size()][iterations];
        for (int t = 0; t < tasks.size(); t++) {
            for (int i = 0; i < warmups; i++) {
                tasks.get(t).run();
            }
            for (int i = 0; i < iterations; i++) {
                long start = System.nanoTime();
                tasks.get(t).run();
                samples[t][i] = (System.nanoTime() - start) / 1e6;
            }
        }
        return samples;
    }
}
