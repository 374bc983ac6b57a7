package org.peft4j.bench.run;

import java.io.IOException;

/** Receives each finished run of a comparison as soon as it is known, on the thread that dispatched the runs. */
@FunctionalInterface
public interface FinishedRuns {

    /**
     * Takes a finished (done, skipped or diverged) run, e.g. to write its file at once.
     *
     * @throws IOException when it cannot be stored
     */
    void accept(RunResult run) throws IOException;
}
