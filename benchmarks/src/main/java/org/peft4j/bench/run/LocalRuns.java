package org.peft4j.bench.run;

import java.io.IOException;
import java.util.List;
import org.deeplearning4j.nn.api.Model;

/** Trains the pending runs one after the other in this process; a failing run stops the comparison. */
public final class LocalRuns implements RunDispatcher {

    private final RunExecutor executor;

    public LocalRuns(RunExecutor executor) {
        this.executor = executor;
    }

    @Override
    public void dispatch(Experiment experiment, Model pretrained, List<PendingRun> pending, FinishedRuns finished,
            RunProgress progress) throws IOException {
        for (PendingRun run : pending) {
            finished.accept(executor.run(experiment, pretrained, run.contender(), run.seed(), run.digest(), progress));
        }
    }
}
