package org.peft4j.bench.spark;

import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.api.Model;
import org.peft4j.AdapterRegistry;
import org.peft4j.bench.model.ContenderFactory;
import org.peft4j.bench.run.Experiment;
import org.peft4j.bench.run.PendingRun;
import org.peft4j.bench.run.Placement;
import org.peft4j.bench.run.ResultsFolder;
import org.peft4j.bench.run.RunExecutor;
import org.peft4j.bench.run.RunResult;
import org.peft4j.natives.Natives;

/**
 * The Spark task of one run: on the executor, picks ND4J's natives as the command line does (before ND4J loads,
 * when this task is the executor's first), restores its own copy of the broadcast pretrained network, rebuilds the
 * broadcast experiment and trains the run with {@link RunExecutor}, its provenance collected there and naming the
 * master and the executor. Returns the run as the JSON text of its run file.
 */
final class RunOnExecutor implements Function<ShippedRun, String> {

    private static final long serialVersionUID = 1L;

    private final Broadcast<ShippedExperiment> experiment;
    private final Broadcast<ShippedNetwork> pretrained;
    private final String master;

    RunOnExecutor(Broadcast<ShippedExperiment> experiment, Broadcast<ShippedNetwork> pretrained, String master) {
        this.experiment = experiment;
        this.pretrained = pretrained;
        this.master = master;
    }

    @Override
    public String call(ShippedRun shipped) throws Exception {
        Natives.select();
        String executorId = SparkEnv.get().executorId();
        ExecutorLog log = new ExecutorLog(System.err, executorId);
        long start = System.nanoTime();
        Model network = pretrained.value().restore();
        Experiment rebuilt = experiment.value().experiment(network);
        log.note(String.format("%s: pretrained network restored and experiment rebuilt in %.2f s", shipped.label(),
                (System.nanoTime() - start) / 1e9));
        PendingRun run = shipped.run();
        RunExecutor executor = new RunExecutor(new ContenderFactory(AdapterRegistry.fromClasspath()),
                Placement.spark(master, executorId));
        RunResult result = executor.run(rebuilt, network, run.contender(), run.seed(), run.digest(), log);
        return ResultsFolder.toJson(result);
    }
}
