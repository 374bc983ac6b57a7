package org.peft4j.spark;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.spark.api.TrainingHook;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Counts the minibatches the workers really trained on between two averagings, with Spark accumulators. DL4J's
 * parameter averaging master adds its {@code averagingFrequency} to the network's iteration count whatever the
 * workers did; a worker whose partition held fewer minibatches made fewer updater steps, and Adam's bias
 * correction and iteration schedules then drift from single-machine training. {@link #meanStepsPerWorker()} is
 * the count to add instead.
 *
 * <p>One instance per Spark task (the hook travels to each task by Java serialization), so {@code started} is
 * per worker.
 */
final class WorkerSteps implements TrainingHook {

    private static final long serialVersionUID = 1L;

    private final LongAccumulator steps;
    private final LongAccumulator workers;
    private boolean started;

    WorkerSteps(JavaSparkContext sc) {
        this.steps = sc.sc().longAccumulator("peft4j minibatches trained");
        this.workers = sc.sc().longAccumulator("peft4j workers that trained");
    }

    /** Zeroes the counts before an averaging round. */
    void reset() {
        steps.reset();
        workers.reset();
    }

    /** How many workers trained on at least one minibatch since {@link #reset()}. */
    long workers() {
        return workers.value();
    }

    /**
     * The minibatches one worker trained on since {@link #reset()}, averaged over the workers that trained and
     * rounded to the nearest whole step (equal when the workers got the same number of minibatches, as DL4J's
     * balanced repartitioning aims for); 0 when none trained.
     */
    long meanStepsPerWorker() {
        long count = workers.value();
        return count == 0 ? 0 : Math.round((double) steps.value() / count);
    }

    private void count() {
        if (!started) {
            started = true;
            workers.add(1);
        }
        steps.add(1);
    }

    @Override
    public void preUpdate(DataSet minibatch, Model model) {
    }

    @Override
    public void postUpdate(DataSet minibatch, Model model) {
        count();
    }

    @Override
    public void preUpdate(MultiDataSet minibatch, Model model) {
    }

    @Override
    public void postUpdate(MultiDataSet minibatch, Model model) {
        count();
    }
}
