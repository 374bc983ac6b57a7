package org.peft4j.bench.speed;

import java.util.List;

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
     * Runs {@code warmups} untimed rounds, then {@code iterations} timed ones.
     *
     * @return per task, the {@code iterations} durations in milliseconds, in run order
     */
    static double[][] time(List<Runnable> tasks, int warmups, int iterations) {
        for (int round = 0; round < warmups; round++) {
            tasks.forEach(Runnable::run);
        }
        double[][] samples = new double[tasks.size()][iterations];
        for (int round = 0; round < iterations; round++) {
            for (int turn = 0; turn < tasks.size(); turn++) {
                int t = (round + turn) % tasks.size();
                long start = System.nanoTime();
                tasks.get(t).run();
                samples[t][round] = (System.nanoTime() - start) / 1e6;
            }
        }
        return samples;
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
