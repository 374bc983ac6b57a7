package org.peft4j.spark;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.peft4j.LayerSelector;
import org.peft4j.Peft;
import org.peft4j.PeftConfig;
import org.peft4j.PeftModel;
import org.peft4j.lora.LoraConfig;
import org.peft4j.lora.LoraInit;
import org.peft4j.spi.AdapterConfig;

/** Small pretrained-like networks of each layer kind, adapted by each peft4j method, for the Spark tests. */
final class AdaptedNets {

    /** The kind of layers a method adapts, with the shape of one example. */
    enum Kind {
        DENSE(DenseLayer.class, 16),
        CONV2D(ConvolutionLayer.class, 1, 6, 6),
        CONV3D(Convolution3D.class, 1, 4, 4, 4);

        final Class<? extends Layer> target;
        final long[] featureShape;

        Kind(Class<? extends Layer> target, long... featureShape) {
            this.target = target;
            this.featureShape = featureShape;
        }

        Layer hidden(String name) {
            return switch (this) {
                case DENSE -> new DenseLayer.Builder().name(name).nOut(16).activation(Activation.TANH).build();
                case CONV2D -> new ConvolutionLayer.Builder(3, 3).name(name).nOut(4)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.TANH).build();
                case CONV3D -> new Convolution3D.Builder(2, 2, 2).name(name).nOut(4)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.TANH).build();
            };
        }

        InputType inputType() {
            return switch (this) {
                case DENSE -> InputType.feedForward(16);
                case CONV2D -> InputType.convolutional(6, 6, 1);
                case CONV3D -> InputType.convolutional3D(Convolution3D.DataFormat.NCDHW, 4, 4, 4, 1);
            };
        }
    }

    /** Every method peft4j ships, with the layer kind it adapts here. */
    enum Method {
        LORA("lora", Kind.DENSE),
        CLORA("clora", Kind.DENSE),
        TCURLORA("tcurlora", Kind.DENSE),
        /** rank 2: the first convolution (1 input channel, 4 outputs) allows at most 4. */
        LORA_CONV("lora-conv", Kind.CONV2D, new LoraConfig(2, 2, 0.0, LoraInit.KAIMING_UNIFORM)),
        COLORA("colora", Kind.CONV2D),
        COLORA3D("colora3d", Kind.CONV3D);

        final String name;
        final Kind kind;
        private final AdapterConfig config;

        Method(String name, Kind kind) {
            this(name, kind, null);
        }

        Method(String name, Kind kind, AdapterConfig config) {
            this.name = name;
            this.kind = kind;
            this.config = config;
        }

        SeparableTask task() {
            return new SeparableTask(99, kind.featureShape);
        }

        PeftModel<MultiLayerNetwork> multiLayer() {
            return Peft.apply(baseMultiLayer(kind), config());
        }

        PeftModel<ComputationGraph> graph() {
            return Peft.apply(baseGraph(kind), config());
        }

        private PeftConfig config() {
            PeftConfig.Builder builder = PeftConfig.builder().method(name)
                    .targets(LayerSelector.byType(kind.target)).newOutput(2).updater(new Adam(0.02));
            if (config != null) {
                builder.config(config);
            }
            return builder.build();
        }
    }

    private AdaptedNets() {
    }

    private static NeuralNetConfiguration.Builder base() {
        return new NeuralNetConfiguration.Builder().seed(7).dataType(DataType.FLOAT).weightInit(WeightInit.XAVIER)
                .updater(new Adam(0.01));
    }

    private static OutputLayer output() {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nOut(2)
                .activation(Activation.SOFTMAX).build();
    }

    static MultiLayerNetwork baseMultiLayer(Kind kind) {
        MultiLayerNetwork net = new MultiLayerNetwork(base().list().layer(kind.hidden("h1")).layer(kind.hidden("h2"))
                .layer(output()).setInputType(kind.inputType()).build());
        net.init();
        return net;
    }

    static ComputationGraph baseGraph(Kind kind) {
        ComputationGraphConfiguration conf = base().graphBuilder().addInputs("in")
                .addLayer("h1", kind.hidden("h1"), "in").addLayer("h2", kind.hidden("h2"), "h1")
                .addLayer("out", output(), "h2").setOutputs("out").setInputTypes(kind.inputType()).build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    /** The network's parameters as a copy. */
    static org.nd4j.linalg.api.ndarray.INDArray params(Model network) {
        return network.params().dup();
    }
}
