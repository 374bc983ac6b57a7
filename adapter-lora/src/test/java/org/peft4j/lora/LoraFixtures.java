package org.peft4j.lora;

import java.util.List;
import java.util.function.Supplier;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.peft4j.AdapterRegistry;
import org.peft4j.spi.AdapterConfig;

/** Small "pretrained" dense networks and data for the LoRA tests. */
final class LoraFixtures {

    static final int IN = 6;
    static final int CLASSES = 3;

    private LoraFixtures() {
    }

    static AdapterRegistry registry() {
        return AdapterRegistry.of(new LoraMethod());
    }

    /** {@code dense1 (6->8 tanh) -> dense2 (8->7 tanh) -> out (7->3 softmax)}, L1 and weight decay on. */
    static MultiLayerNetwork mlp(DataType type) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(42).dataType(type)
                .updater(new Sgd(0.1)).weightInit(WeightInit.XAVIER).l1(1e-3).weightDecay(1e-2)
                .list()
                .layer(new DenseLayer.Builder().name("dense1").nOut(8).activation(Activation.TANH).build())
                .layer(new DenseLayer.Builder().name("dense2").nOut(7).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(IN))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** Two dense branches {@code a}, {@code b} from the input, merged, then {@code out}. */
    static ComputationGraph graph(DataType type) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(43).dataType(type)
                .updater(new Sgd(0.1)).weightInit(WeightInit.XAVIER).l1(1e-3).weightDecay(1e-2)
                .graphBuilder()
                .addInputs("in")
                .addLayer("a", new DenseLayer.Builder().nOut(5).activation(Activation.TANH).build(), "in")
                .addLayer("b", new DenseLayer.Builder().nOut(4).activation(Activation.SIGMOID).build(), "in")
                .addVertex("ab", new MergeVertex(), "a", "b")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build(), "ab")
                .setOutputs("out")
                .setInputTypes(InputType.feedForward(IN))
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    /** 12 examples, features N(0,1), random one-hot labels; the same every call. */
    static DataSet data(DataType type) {
        Nd4j.getRandom().setSeed(99);
        INDArray features = Nd4j.randn(type, 12, IN);
        INDArray labels = Nd4j.zeros(type, 12, CLASSES);
        for (int i = 0; i < 12; i++) {
            labels.putScalar(i, (i * 7) % CLASSES, 1.0);
        }
        return new DataSet(features, labels);
    }

    static List<Supplier<AdapterConfig>> invalidConfigs() {
        return List.of(
                () -> new LoraConfig(0, 8, 0, LoraInit.KAIMING_UNIFORM),
                () -> new LoraConfig(-2, 8, 0, LoraInit.KAIMING_UNIFORM),
                () -> new LoraConfig(4, 0, 0, LoraInit.KAIMING_UNIFORM),
                () -> new LoraConfig(4, -1, 0, LoraInit.KAIMING_UNIFORM),
                () -> new LoraConfig(4, Double.NaN, 0, LoraInit.KAIMING_UNIFORM),
                () -> new LoraConfig(4, 8, 1.0, LoraInit.KAIMING_UNIFORM),
                () -> new LoraConfig(4, 8, -0.1, LoraInit.KAIMING_UNIFORM),
                () -> new LoraConfig(4, 8, 0, null));
    }
}
