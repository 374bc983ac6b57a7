package org.peft4j.bench.spark;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.api.Model;
import org.peft4j.bench.run.Experiment;
import org.peft4j.bench.run.FinishedRuns;
import org.peft4j.bench.run.PendingRun;
import org.peft4j.bench.run.ResultsFolder;
import org.peft4j.bench.run.RunDispatcher;
import org.peft4j.bench.run.RunProgress;
import org.peft4j.bench.run.RunResult;

/**
 * Trains each pending run as a Spark job of one task: the experiment (data included) and the pretrained network are
 * broadcast once, the jobs are submitted in line-up order (Spark's FIFO scheduler starts them in that order as task
 * slots free up), and each run is handed over on this thread as soon as its job ends, whatever the order. A failed
 * run does not stop the others; the failures are reported together at the end, naming each method and seed.
 */
final class SparkRunDispatcher implements RunDispatcher {

    private final JavaSparkContext spark;

    SparkRunDispatcher(JavaSparkContext spark) {
        this.spark = spark;
    }

    /** A run's job when it ended: the run file's JSON text, or why it failed. */
    private record Arrival(PendingRun run, String json, String failure) {
    }

    @Override
    public void dispatch(Experiment experiment, Model pretrained, List<PendingRun> pending, FinishedRuns finished,
            RunProgress progress) throws IOException {
        ShippedNetwork network = ShippedNetwork.of(pretrained);
        Broadcast<ShippedExperiment> sharedExperiment = spark.broadcast(ShippedExperiment.of(experiment, pretrained));
        Broadcast<ShippedNetwork> sharedNetwork = spark.broadcast(network);
        progress.note(String.format("Spark %s: %d runs as %d tasks; broadcast once per executor: the pretrained network "
                + "(%.1f MB model file) and the data (%d training, %d test images)", spark.master(), pending.size(),
                pending.size(), network.bytes() / 1e6, experiment.train().size(), experiment.test().size()));
        RunOnExecutor task = new RunOnExecutor(sharedExperiment, sharedNetwork, spark.master());
        ExecutorService waiters = Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "peft4j-spark-run-waiter");
            thread.setDaemon(true);
            return thread;
        });
        CompletionService<Arrival> arrivals = new ExecutorCompletionService<>(waiters);
        int handedOver = 0;
        List<String> failures = new ArrayList<>();
        try {
            for (PendingRun run : pending) {
                spark.setJobDescription("peft4j " + experiment.protocol() + ": " + run.label());
                JavaFutureAction<List<String>> job = spark.parallelize(List.of(ShippedRun.of(run)), 1).map(task)
                        .collectAsync();
                arrivals.submit(() -> await(run, job));
            }
            for (; handedOver < pending.size(); handedOver++) {
                Arrival arrival = arrivals.take().get();
                if (arrival.failure() != null) {
                    failures.add(arrival.run().label() + ": " + arrival.failure());
                    progress.note(arrival.run().label() + " failed on Spark: " + arrival.failure());
                    continue;
                }
                RunResult result = ResultsFolder.runFromJson(arrival.json(), "the run of " + arrival.run().label()
                        + " sent back by Spark");
                finished.accept(result);
                progress.runFinished(RunLines.finished(result));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the Spark runs", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting for a Spark run failed", e.getCause());
        } finally {
            if (handedOver < pending.size()) {
                spark.cancelAllJobs();
            }
            waiters.shutdownNow();
            sharedExperiment.destroy();
            sharedNetwork.destroy();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException(failures.size() + " of " + pending.size() + " runs failed on Spark "
                    + spark.master() + ":\n  - " + String.join("\n  - ", failures) + "\nThe other runs are in the "
                    + "results folder; the same command with --out set to it redoes only the missing runs.");
        }
    }

    private static Arrival await(PendingRun run, JavaFutureAction<List<String>> job) throws InterruptedException {
        try {
            return new Arrival(run, job.get().get(0), null);
        } catch (ExecutionException e) {
            return new Arrival(run, null, RunLines.firstLine(e.getCause()));
        }
    }

    /** Stops the Spark context. */
    @Override
    public void close() {
        spark.stop();
    }
}
