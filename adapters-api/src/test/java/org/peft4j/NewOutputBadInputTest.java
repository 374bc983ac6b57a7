package org.peft4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.peft4j.testkit.Nets;

/**
 * {@code newOutput(n)} on networks whose output layer has no parameters (a {@code LossLayer}, as Keras imports and
 * DL4J's zoo SqueezeNet build them): the last weight layer becomes the new head and the network trains on n
 * classes; a tail newOutput cannot carry the class count through is refused, naming the layers.
 */
class NewOutputBadInputTest {

    private static final int CLASSES = 4;

    private static NeuralNetConfiguration.Builder base() {
        return new NeuralNetConfiguration.Builder().seed(7).dataType(DataType.FLOAT).updater(new Adam(5e-2));
    }

    private static PeftConfig newHead(String target) {
        return PeftConfig.builder().method("wide").targets(LayerSelector.names(target)).newOutput(CLASSES).build();
    }

    /** Keras-import form: {@code hidden (5->6) -> logits (6->3 softmax) -> loss (LossLayer)}. */
    private static MultiLayerNetwork kerasLike() {
        MultiLayerConfiguration conf = base().list()
                .layer(new DenseLayer.Builder().name("hidden").nOut(6).activation(Activation.TANH).build())
                .layer(new DenseLayer.Builder().name("logits").nOut(3).activation(Activation.SOFTMAX).build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).name("loss").build())
                .setInputType(InputType.feedForward(5)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** SqueezeNet form: {@code conv -> classifier (1x1 conv, 3) -> pool -> softmax -> loss}, as a graph. */
    private static ComputationGraph squeezeNetLike() {
        ComputationGraphConfiguration conf = base().graphBuilder().addInputs("in")
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(3).activation(Activation.RELU).build(), "in")
                .addLayer("classifier", new ConvolutionLayer.Builder(1, 1).nOut(3).activation(Activation.RELU).build(),
                        "conv")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "classifier")
                .addLayer("drop", new DropoutLayer.Builder(0.9).build(), "pool")
                .addLayer("softmax", new ActivationLayer.Builder().activation(Activation.SOFTMAX).build(), "drop")
                .addLayer("loss", new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).build(), "softmax")
                .setOutputs("loss").setInputTypes(InputType.convolutional(6, 6, 2)).build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    private static DataSet data(long... featureShape) {
        Nd4j.getRandom().setSeed(11);
        INDArray features = Nd4j.rand(DataType.FLOAT, featureShape);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, featureShape[0], CLASSES);
        for (int i = 0; i < featureShape[0]; i++) {
            labels.putScalar(i, i % CLASSES, 1);
        }
        return new DataSet(features, labels);
    }

    /** Trains {@code network} on {@code data} and asserts it outputs n classes and learns. */
    private static void assertTrainsOnNewClasses(Model network, DataSet data) {
        assertThat(Nets.output(network, data.getFeatures()).shape()).containsExactly(data.numExamples(), CLASSES);
        double before = score(network, data);
        Nets.fit(network, data, 30);
        double after = score(network, data);
        assertThat(after).isFinite().isLessThan(before);
    }

    private static double score(Model network, DataSet data) {
        return network instanceof MultiLayerNetwork mln ? mln.score(data) : ((ComputationGraph) network).score(data);
    }

    @Test
    void aDenseLayerBeforeALossLayerBecomesTheNewHeadAndTrains() {
        MultiLayerNetwork base = kerasLike();
        INDArray hidden = base.getLayer(0).getParam("W").dup();
        PeftModel<MultiLayerNetwork> model = Peft.apply(base, newHead("hidden"), WideTestMethod.registry());
        MultiLayerNetwork net = model.network();
        assertThat(net.getLayer(1).getParam("W").shape()).containsExactly(6, CLASSES);
        assertTrainsOnNewClasses(net, data(12, 5));
        assertThat(net.getLayer(0).getParam("W")).isEqualTo(hidden);
        assertThat(base.getLayer(1).getParam("W").shape()).containsExactly(6, 3);
    }

    @Test
    void anAdapterFileWithTheNewHeadBeforeALossLayerLoadsBackOntoTheBase(@TempDir Path temp) throws IOException {
        MultiLayerNetwork base = kerasLike();
        PeftModel<MultiLayerNetwork> model = Peft.apply(base, newHead("hidden"), WideTestMethod.registry());
        DataSet data = data(12, 5);
        Nets.fit(model.network(), data, 10);
        Path file = temp.resolve("head.safetensors");
        model.saveAdapter(file);

        PeftModel<MultiLayerNetwork> loaded = Peft.load(base, file, WideTestMethod.registry());

        assertThat(loaded.network().getLayer(1).getParam("W").shape()).containsExactly(6, CLASSES);
        assertThat(loaded.network().output(data.getFeatures())).isEqualTo(model.network().output(data.getFeatures()));
    }

    @Test
    void aConvolutionBeforePoolingDropoutSoftmaxAndLossBecomesTheNewHeadOfAGraph() {
        PeftModel<ComputationGraph> model = Peft.apply(squeezeNetLike(), newHead("conv"), WideTestMethod.registry());
        ComputationGraph graph = model.network();
        assertThat(graph.getLayer("classifier").getParam("W").shape()).containsExactly(CLASSES, 3, 1, 1);
        assertTrainsOnNewClasses(graph, data(12, 2, 6, 6));
    }

    @Test
    void theLayerThatBecomesTheHeadCannotAlsoBeATarget() {
        assertThatThrownBy(() -> Peft.apply(kerasLike(), newHead("logits"), WideTestMethod.registry()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("layer 'logits' is replaced by the new head of newOutput(4)");
    }

    @Test
    void aParameterLayerThatIsNotAWeightLayerBeforeTheLossIsRefusedNamingThePath() {
        MultiLayerConfiguration conf = base().list()
                .layer(new DenseLayer.Builder().name("hidden").nOut(3).build())
                .layer(new BatchNormalization.Builder().name("norm").build())
                .layer(new ActivationLayer.Builder().name("softmax").activation(Activation.SOFTMAX).build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).name("loss").build())
                .setInputType(InputType.feedForward(5)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        assertThatThrownBy(() -> Peft.apply(net, newHead("hidden"), WideTestMethod.registry()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("newOutput(4)")
                .hasMessageContaining("'loss' (LossLayer) <- 'softmax' (ActivationLayer) <- 'norm' (BatchNormalization)")
                .hasMessageContaining("not a DenseLayer, OutputLayer or convolution");
    }

    @Test
    void aLossLayerFedByAMergeVertexIsRefusedNamingIt() {
        ComputationGraphConfiguration conf = base().graphBuilder().addInputs("in")
                .addLayer("a", new DenseLayer.Builder().nOut(2).build(), "in")
                .addLayer("b", new DenseLayer.Builder().nOut(1).build(), "in")
                .addVertex("ab", new MergeVertex(), "a", "b")
                .addLayer("loss", new LossLayer.Builder(LossFunctions.LossFunction.MCXENT).build(), "ab")
                .setOutputs("loss").setInputTypes(InputType.feedForward(5)).build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        assertThatThrownBy(() -> Peft.apply(graph, newHead("a"), WideTestMethod.registry()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'loss' (LossLayer)")
                .hasMessageContaining("whose input is not a single layer feeding it directly");
    }
}
