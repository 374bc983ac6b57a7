package org.peft4j.spark;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.TrainingMaster;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.nd4j.linalg.dataset.DataSet;

/**
 * One epoch of DL4J Spark training of a network, whatever its kind: {@link SparkDl4jMultiLayer} for a
 * MultiLayerNetwork, {@link SparkComputationGraph} for a ComputationGraph. Both train the driver's network in
 * place (its parameters, updater state, iteration and epoch counts).
 */
interface DistributedNetwork {

    /** Trains one epoch over {@code data}. */
    void fitEpoch(JavaRDD<DataSet> data);

    static DistributedNetwork of(JavaSparkContext sc, Model network, TrainingMaster<?, ?> master) {
        if (network instanceof MultiLayerNetwork mln) {
            SparkDl4jMultiLayer spark = new SparkDl4jMultiLayer(sc, mln, master);
            return spark::fit;
        }
        if (network instanceof ComputationGraph graph) {
            SparkComputationGraph spark = new SparkComputationGraph(sc, graph, master);
            return spark::fit;
        }
        throw new IllegalArgumentException("unsupported network type "
                + (network == null ? "null" : network.getClass().getName())
                + "; Spark training takes a MultiLayerNetwork or a ComputationGraph");
    }
}
