package org.peft4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.dataset.DataSet;
import org.peft4j.MergeEveryEpochs;
import org.peft4j.Peft;
import org.peft4j.PeftModel;
import org.peft4j.testkit.Nets;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * With one worker that averages once per epoch, Spark training IS single-machine training: the same minibatches
 * in the same order, the same Adam steps. Parameters, updater state and iteration count come out bit-identical.
 */
class SparkSingleWorkerTest {

    private static final int BATCHES = 6;
    private static final int BATCH_SIZE = 16;
    private static final int EPOCHS = 3;

    private static JavaSparkContext sc;

    @BeforeAll
    static void startSpark() {
        sc = LocalSpark.start("SparkSingleWorkerTest");
    }

    @AfterAll
    static void stopSpark() {
        sc.stop();
    }

    private static SparkTraining oneWorker(int averagingFrequency) {
        return SparkTraining.of(1, BATCH_SIZE).withAveragingFrequency(averagingFrequency);
    }

    @ParameterizedTest
    @EnumSource(AdaptedNets.Method.class)
    void multiLayerNetworkEqualsSingleMachineTraining(AdaptedNets.Method method) {
        List<DataSet> data = method.task().batches(BATCHES, BATCH_SIZE, 1);
        MultiLayerNetwork local = method.multiLayer().network();
        MultiLayerNetwork spark = local.clone();

        SeparableTask.fitLocally(local, data, EPOCHS);
        SparkPeft.fit(sc, spark, sc.parallelize(data, 1), EPOCHS, oneWorker(BATCHES));

        assertSameTraining(spark, local);
    }

    @ParameterizedTest
    @EnumSource(AdaptedNets.Method.class)
    void computationGraphEqualsSingleMachineTraining(AdaptedNets.Method method) {
        List<DataSet> data = method.task().batches(BATCHES, BATCH_SIZE, 2);
        ComputationGraph local = method.graph().network();
        ComputationGraph spark = local.clone();

        SeparableTask.fitLocally(local, data, EPOCHS);
        // cached by the caller at MEMORY_ONLY: training must not try to persist it at another level
        SparkPeft.fit(sc, spark, sc.parallelize(data, 1).cache(), EPOCHS, oneWorker(BATCHES));

        assertSameTraining(spark, local);
    }

    /**
     * DL4J's master adds {@code averagingFrequency} (here 10) to the iteration count after each averaging, though
     * the worker took 6 steps; Adam's bias correction then differs from the second epoch on. The corrected count
     * keeps training identical.
     */
    @Test
    void averagingFrequencyAboveTheMinibatchCountKeepsAdamExact() {
        AdaptedNets.Method method = AdaptedNets.Method.CLORA;
        List<DataSet> data = method.task().batches(BATCHES, BATCH_SIZE, 3);
        MultiLayerNetwork local = method.multiLayer().network();
        MultiLayerNetwork spark = local.clone();

        SeparableTask.fitLocally(local, data, EPOCHS);
        SparkPeft.fit(sc, spark, sc.parallelize(data, 1), EPOCHS, oneWorker(10));

        assertSameTraining(spark, local);
        assertThat(spark.getIterationCount()).isEqualTo(BATCHES * EPOCHS);
    }

    /**
     * A driver-side merge after every second epoch merges what single-machine training with
     * {@link MergeEveryEpochs} merges. The merge re-initialises the adapters from ND4J's global random generator,
     * whose state differs between the two runs, so the re-initialised adapter values are not compared; the merged
     * weights, the head, the reset optimiser state and the outputs (the reset adapters add nothing) are, bit for bit.
     */
    @Test
    void mergingOnTheDriverEqualsMergeEveryEpochs() {
        AdaptedNets.Method method = AdaptedNets.Method.LORA;
        List<DataSet> data = method.task().batches(BATCHES, BATCH_SIZE, 4);
        MultiLayerNetwork local = method.multiLayer().network();
        PeftModel<MultiLayerNetwork> spark = Peft.wrap(local.clone());
        MergeEveryEpochs merges = new MergeEveryEpochs(2);
        local.addListeners(merges);
        Map<String, List<Double>> pretrained = Exact.values(Nets.snapshot(local, true));

        SeparableTask.fitLocally(local, data, 2);
        SparkPeft.fit(sc, spark, sc.parallelize(data, 1), 2, oneWorker(BATCHES).withMergeEveryEpochs(2));

        assertThat(merges.merges()).isEqualTo(1);
        assertThat(Exact.values(Nets.snapshot(spark.network(), true))).isEqualTo(Exact.values(Nets.snapshot(local, true)))
                .isNotEqualTo(pretrained);
        assertThat(Exact.values(updaterState(spark.network()))).isEqualTo(Exact.values(updaterState(local)));
        assertThat(Exact.values(spark.network().paramTable().get("2_W")))
                .isEqualTo(Exact.values(local.paramTable().get("2_W")));
        INDArray features = data.get(0).getFeatures();
        assertThat(Exact.values(spark.network().output(features))).isEqualTo(Exact.values(local.output(features)));
    }

    private static void assertSameTraining(Model spark, Model local) {
        assertThat(iterations(spark)).as("iteration count").isEqualTo(iterations(local));
        assertThat(epochs(spark)).as("epoch count").isEqualTo(epochs(local));
        local.paramTable().forEach((key, value) -> assertThat(Exact.values(spark.paramTable().get(key)))
                .as("parameter %s", key).isEqualTo(Exact.values(value)));
        assertThat(Exact.values(spark.params())).isEqualTo(Exact.values(local.params()));
        assertThat(Exact.values(updaterState(spark))).as("updater state").isEqualTo(Exact.values(updaterState(local)));
        assertThat(iterations(spark)).isEqualTo(iterations(local));
        assertThat(epochs(spark)).isEqualTo(epochs(local));
    }

    private static INDArray updaterState(Model network) {
        return network instanceof MultiLayerNetwork mln ? mln.getUpdater().getStateViewArray()
                : ((ComputationGraph) network).getUpdater().getStateViewArray();
    }

    private static int iterations(Model network) {
        return network instanceof MultiLayerNetwork mln ? mln.getIterationCount()
                : ((ComputationGraph) network).getIterationCount();
    }

    private static int epochs(Model network) {
        return network instanceof MultiLayerNetwork mln ? mln.getEpochCount()
                : ((ComputationGraph) network).getEpochCount();
    }
}
