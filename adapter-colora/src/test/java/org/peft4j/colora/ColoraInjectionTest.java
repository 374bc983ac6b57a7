package org.peft4j.colora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.weightnoise.WeightNoise;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.peft4j.LayerSelector;
import org.peft4j.Peft;
import org.peft4j.PeftConfig;
import org.peft4j.PeftModel;
import org.peft4j.layers.FrozenWithBackprop;
import org.peft4j.testkit.Nets;

/** What {@code colora} accepts and refuses, and how the layers around the adapted ones are frozen. */
class ColoraInjectionTest {

    private final ColoraMethod method = new ColoraMethod();

    @Test
    void refusesLayersWhoseUpdateIsNotAFullKernelNamingTheReason() {
        assertThat(method.unsupportedReason(new ConvolutionLayer.Builder(3, 3).nIn(2).nOut(2).build())).isEmpty();
        assertThat(method.unsupportedReason(new DepthwiseConvolution2D.Builder(3, 3).nIn(2).nOut(2).build()))
                .hasValueSatisfying(r -> assertThat(r).contains("depthwise"));
        assertThat(method.unsupportedReason(new SeparableConvolution2D.Builder(3, 3).nIn(2).nOut(2).build()))
                .hasValueSatisfying(r -> assertThat(r).contains("separable"));
        assertThat(method.unsupportedReason(new Deconvolution2D.Builder(3, 3).nIn(2).nOut(2).build()))
                .hasValueSatisfying(r -> assertThat(r).contains("transposed"));
        assertThat(method.unsupportedReason(new Convolution3D.Builder(3, 3, 3).nIn(2).nOut(2).build()))
                .hasValueSatisfying(r -> assertThat(r).contains("colora3d"));
        assertThat(method.unsupportedReason(new DenseLayer.Builder().nIn(2).nOut(2).build())).isPresent();
        assertThat(method.unsupportedReason(new ConvolutionLayer.Builder(3, 3).nIn(2).nOut(2)
                .weightNoise(new WeightNoise(new NormalDistribution(0, 0.1))).build()))
                .hasValueSatisfying(r -> assertThat(r).contains("weight noise"));
    }

    @Test
    void applyingToAnUnsupportedLayerFailsNamingIt() {
        MultiLayerNetwork net = network();
        assertThatThrownBy(() -> Peft.apply(net, PeftConfig.builder().method("colora")
                .targets(LayerSelector.names("fc")).build(), ColoraFixtures.registry()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'fc'")
                .hasMessageContaining("ConvolutionLayer");
    }

    @Test
    void layersWithNothingTrainableUpstreamSkipTheirBackwardPassWithoutChangingTraining() {
        PeftModel<MultiLayerNetwork> model = Peft.apply(network(), PeftConfig.builder().method("colora")
                .targets(LayerSelector.names("conv2")).trainable(LayerSelector.names("out")).updater(new Adam(1e-2))
                .build(), ColoraFixtures.registry());
        assertThat(frozen(model.network(), "conv1").isInputGradient()).as("below the adapter").isFalse();
        assertThat(frozen(model.network(), "fc").isInputGradient()).as("above the adapter").isTrue();
        assertThat(model.network().getLayer(0)).as("backpropagation stops at DL4J's FrozenLayer, as in PyTorch below "
                + "the lowest trainable parameter").isInstanceOf(org.deeplearning4j.nn.layers.FrozenLayer.class);
        assertThat(model.network().getLayer(1)).as("the parameter-free pooling below the adapter too")
                .isInstanceOf(org.deeplearning4j.nn.layers.FrozenLayer.class);
        assertThat(model.network().getLayer(3)).isNotInstanceOf(org.deeplearning4j.nn.layers.FrozenLayer.class);

        MultiLayerConfiguration everything = model.network().getLayerWiseConfigurations().clone();
        ((FrozenWithBackprop) everything.getConf(0).getLayer()).setInputGradient(true);
        ((FrozenWithBackprop) everything.getConf(1).getLayer()).setInputGradient(true);
        MultiLayerNetwork reference = new MultiLayerNetwork(everything);
        reference.init(model.network().params().dup(), true);
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 2, 8, 8);
        INDArray y = Nd4j.eye(4).castTo(DataType.FLOAT).getColumns(0, 1, 2);
        for (MultiLayerNetwork net : new MultiLayerNetwork[] {model.network(), reference}) {
            net.setInput(x);
            net.setLabels(y);
            net.computeGradientAndScore();
        }
        assertThat(Nets.values(model.network().gradient().gradient()))
                .containsExactly(Nets.values(reference.gradient().gradient()));
    }

    private static FrozenWithBackprop frozen(MultiLayerNetwork net, String name) {
        for (var conf : net.getLayerWiseConfigurations().getConfs()) {
            Layer layer = conf.getLayer();
            if (name.equals(layer.getLayerName())) {
                return (FrozenWithBackprop) layer;
            }
        }
        throw new AssertionError(name);
    }

    /** conv1 -> pool -> conv2 -> fc -> out on 2x8x8. */
    private static MultiLayerNetwork network() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(5)
                .dataType(DataType.FLOAT).activation(Activation.RELU).convolutionMode(ConvolutionMode.Same).list()
                .layer(new ConvolutionLayer.Builder(3, 3).name("conv1").nOut(4).build())
                .layer(new SubsamplingLayer.Builder(2, 2).name("pool").stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(3, 3).name("conv2").nOut(4).build())
                .layer(new DenseLayer.Builder().name("fc").nOut(5).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(8, 8, 2)).build());
        net.init();
        return net;
    }
}
