package org.peft4j.spark;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Not a test: the local-mode cost of one Spark epoch against one single-machine epoch, for docs/spark.md. Runs only
 * when asked:
 * <pre>
 * mvn -o -q test -pl peft4j-spark -am -Dtest=SparkOverheadMeasurement -Dpeft4j.spark.measure=true \
 *     -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 * Prints the median wall time of an epoch over {@code ROUNDS} epochs, after {@code WARMUP} epochs; the three setups
 * take turns, epoch by epoch, so that a load from elsewhere on the machine falls on all of them alike.
 */
@EnabledIfSystemProperty(named = "peft4j.spark.measure", matches = "true")
class SparkOverheadMeasurement {

    private static final int BATCH_SIZE = 32;
    private static final int BATCHES = 24;
    private static final int WARMUP = 2;
    private static final int ROUNDS = 9;

    @Test
    void measure() {
        JavaSparkContext sc = LocalSpark.start("SparkOverheadMeasurement");
        try {
            for (AdaptedNets.Method method : List.of(AdaptedNets.Method.LORA, AdaptedNets.Method.COLORA)) {
                List<DataSet> data = method.task().batches(BATCHES, BATCH_SIZE, 1);
                MultiLayerNetwork local = method.multiLayer().network();
                MultiLayerNetwork oneWorker = method.multiLayer().network();
                MultiLayerNetwork twoWorkers = method.multiLayer().network();
                JavaRDD<DataSet> onePartition = sc.parallelize(data, 1).cache();
                JavaRDD<DataSet> twoPartitions = sc.parallelize(data, 2).cache();
                onePartition.count();
                twoPartitions.count();
                SparkTraining one = SparkTraining.of(1, BATCH_SIZE).withAveragingFrequency(BATCHES);
                SparkTraining two = SparkTraining.of(2, BATCH_SIZE).withAveragingFrequency(BATCHES / 4);
                List<Runnable> setups = List.of(() -> SeparableTask.fitLocally(local, data, 1),
                        () -> SparkPeft.fit(sc, oneWorker, onePartition, 1, one),
                        () -> SparkPeft.fit(sc, twoWorkers, twoPartitions, 1, two));
                long[][] samples = new long[setups.size()][ROUNDS];
                for (int round = -WARMUP; round < ROUNDS; round++) {
                    for (int i = 0; i < setups.size(); i++) {
                        long nanos = time(setups.get(i));
                        if (round >= 0) {
                            samples[i][round] = nanos;
                        }
                    }
                }
                report(method, "single machine, fit(iterator)", median(samples[0]));
                report(method, "Spark local[2], 1 worker, 1 averaging per epoch", median(samples[1]));
                report(method, "Spark local[2], 2 workers, 2 averagings per epoch of " + BATCHES / 4
                        + " minibatches each", median(samples[2]));
                onePartition.unpersist();
                twoPartitions.unpersist();
            }
        } finally {
            sc.stop();
        }
    }

    private static void report(AdaptedNets.Method method, String setup, double millis) {
        System.out.printf("MEASURED %s (%d minibatches of %d): %s: %.1f ms per epoch%n", method.name, BATCHES,
                BATCH_SIZE, setup, millis);
    }

    private static double median(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2] / 1e6;
    }

    private static long time(Runnable epoch) {
        long start = System.nanoTime();
        epoch.run();
        return System.nanoTime() - start;
    }
}
