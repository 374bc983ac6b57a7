package org.peft4j.spark;

import java.util.Objects;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.dataset.DataSet;
import org.peft4j.Peft;
import org.peft4j.PeftModel;

/**
 * Data-parallel training of an adapted network on Apache Spark, with DL4J's parameter averaging.
 *
 * <pre>{@code
 * PeftModel<MultiLayerNetwork> model = Peft.apply(pretrained, config);
 * JavaRDD<DataSet> data = sc.parallelize(minibatches, 3);      // DataSets of 32 examples
 * SparkPeft.fit(sc, model, data, 10, SparkTraining.of(3, 32).withMergeEveryEpochs(2));
 * }</pre>
 *
 * <p>The driver's network is trained in place. Frozen weights stay bit-identical (except where a merge writes
 * them), the iteration count advances by the updater steps really taken, and the updater state (Adam's moments)
 * is averaged with the parameters; see {@link PeftTrainingMaster}. Merges run on the driver between epochs, as
 * {@link org.peft4j.MergeEveryEpochs} does on one machine. The network's own listeners are not called on the
 * workers.
 */
public final class SparkPeft {

    private SparkPeft() {
    }

    /** Trains {@code model}'s network for {@code epochs} epochs over {@code data}; returns the network. */
    public static <N extends Model> N fit(JavaSparkContext sc, PeftModel<N> model, JavaRDD<DataSet> data, int epochs,
            SparkTraining training) {
        Objects.requireNonNull(model, "model");
        run(sc, model.network(), data, epochs, training, model::mergeInPlace);
        return model.network();
    }

    /**
     * Trains an adapted {@code network} (a MultiLayerNetwork or ComputationGraph from {@code Peft.apply}, or one
     * restored from a file) for {@code epochs} epochs over {@code data}; returns it.
     */
    public static <N extends Model> N fit(JavaSparkContext sc, N network, JavaRDD<DataSet> data, int epochs,
            SparkTraining training) {
        Objects.requireNonNull(network, "network");
        run(sc, network, data, epochs, training, () -> Peft.wrap(network).mergeInPlace());
        return network;
    }

    private static void run(JavaSparkContext sc, Model network, JavaRDD<DataSet> data, int epochs,
            SparkTraining training, Runnable merge) {
        Objects.requireNonNull(sc, "sc");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(training, "training");
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        DistributedNetwork distributed = DistributedNetwork.of(sc, network, TrainingMasters.of(training, sc));
        EpochMerges merges = new EpochMerges(training.mergeEveryEpochs(), merge);
        for (int epoch = 0; epoch < epochs; epoch++) {
            distributed.fitEpoch(data);
            merges.epochEnded(network);
        }
    }
}
