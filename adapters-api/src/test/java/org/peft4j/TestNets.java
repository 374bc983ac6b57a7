package org.peft4j;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Plain DL4J networks for the API's own tests (no adapter method needed). */
public final class TestNets {

    private TestNets() {
    }

    /** {@code hidden (5->4 tanh) -> out (4->3 softmax)}, Adam, weight decay. */
    public static MultiLayerNetwork mlp() {
        return mlp("hidden");
    }

    /**
     * One {@code 4-unit tanh} dense layer per name, in order (the first 5->4, the others 4->4), then
     * {@code out (4->3 softmax)}; Adam, weight decay. DL4J accepts names given twice.
     */
    public static MultiLayerNetwork mlp(String... hiddenNames) {
        NeuralNetConfiguration.ListBuilder layers = new NeuralNetConfiguration.Builder().seed(1)
                .dataType(DataType.FLOAT).updater(new Adam(1e-2)).weightDecay(1e-2).list();
        for (String name : hiddenNames) {
            layers.layer(new DenseLayer.Builder().name(name).nOut(4).activation(Activation.TANH).build());
        }
        MultiLayerConfiguration conf = layers.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .name("out").nOut(3).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(5)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** {@code in -> hidden (5->4 tanh) -> out (4->3 softmax)} as a graph. */
    public static ComputationGraph graph() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(2).dataType(DataType.FLOAT)
                .updater(new Adam(1e-2)).weightDecay(1e-2).graphBuilder().addInputs("in")
                .addLayer("hidden", new DenseLayer.Builder().nOut(4).activation(Activation.TANH).build(), "in")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "hidden")
                .setOutputs("out").setInputTypes(InputType.feedForward(5)).build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    public static DataSet data() {
        Nd4j.getRandom().setSeed(5);
        DataSet data = new DataSet(Nd4j.randn(DataType.FLOAT, 8, 5), Nd4j.zeros(DataType.FLOAT, 8, 3));
        for (int i = 0; i < 8; i++) {
            data.getLabels().putScalar(i, i % 3, 1);
        }
        return data;
    }
}
