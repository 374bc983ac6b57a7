package org.peft4j.bench.spark;

import java.io.PrintStream;
import org.peft4j.bench.run.RunProgress;

/**
 * Progress of a run on an executor, as lines on the executor's error stream prefixed with the executor id (in local
 * mode that is the console of the command; on a cluster, the executor's log). The driver reports each run's result
 * when it arrives.
 */
final class ExecutorLog implements RunProgress {

    private final PrintStream err;
    private final String prefix;

    ExecutorLog(PrintStream err, String executorId) {
        this.err = err;
        this.prefix = "[executor " + executorId + "] ";
    }

    @Override
    public void runStarted(String label, long steps) {
        err.println(prefix + label + ": " + steps + " training steps");
    }

    @Override
    public void epochFinished(String summary) {
        err.println(prefix + summary);
    }

    @Override
    public void note(String text) {
        err.println(prefix + text);
    }
}
