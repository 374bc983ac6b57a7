package org.peft4j.bench.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.peft4j.bench.run.Experiment;
import org.peft4j.bench.run.FinishedRuns;
import org.peft4j.bench.run.PendingRun;
import org.peft4j.bench.run.RunDispatcher;
import org.peft4j.bench.run.RunProgress;
import org.peft4j.bench.run.RunResult;

/**
 * Wraps a dispatcher: records the runs sent to it, and after each run is handed over runs {@code afterEach} (e.g. to
 * look at the results folder at that moment).
 */
final class RecordingDispatcher implements RunDispatcher {

    /** A check run after a run was handed over. */
    interface AfterEach {
        void check(RunResult run) throws IOException;
    }

    private final RunDispatcher inner;
    private final AfterEach afterEach;
    final List<String> sent = new ArrayList<>();
    final List<String> handedOver = new ArrayList<>();

    RecordingDispatcher(RunDispatcher inner, AfterEach afterEach) {
        this.inner = inner;
        this.afterEach = afterEach;
    }

    @Override
    public void dispatch(Experiment experiment, Model pretrained, List<PendingRun> pending, FinishedRuns finished,
            RunProgress progress) throws IOException {
        pending.forEach(run -> sent.add(run.label()));
        inner.dispatch(experiment, pretrained, pending, run -> {
            finished.accept(run);
            handedOver.add(run.method() + " seed " + run.seed());
            afterEach.check(run);
        }, progress);
    }
}
