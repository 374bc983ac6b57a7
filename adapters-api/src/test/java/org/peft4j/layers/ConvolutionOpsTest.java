package org.peft4j.layers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.peft4j.testkit.Nets;

/**
 * {@link ConvolutionOps} against DL4J's own convolution layers (their forward pass and the input
 * gradient of their backward pass), in double precision, for each route the ops take: symmetric
 * padding, asymmetric Same padding (even kernels), padding beyond the kernel, causal padding,
 * strides (column route) and dilations.
 */
class ConvolutionOpsTest {

    static Stream<Arguments> layers() {
        return Stream.of(
                Arguments.of("3x3 Same", new ConvolutionLayer.Builder(3, 3).convolutionMode(ConvolutionMode.Same).build(), 7, 6),
                Arguments.of("2x4 Same (asymmetric)", new ConvolutionLayer.Builder(2, 4).convolutionMode(ConvolutionMode.Same).build(), 6, 7),
                Arguments.of("1x1 padding 2", new ConvolutionLayer.Builder(1, 1).padding(2, 2).convolutionMode(ConvolutionMode.Truncate).build(), 5, 5),
                Arguments.of("3x2 stride 2x3 Truncate", new ConvolutionLayer.Builder(3, 2).stride(2, 3).padding(1, 0).convolutionMode(ConvolutionMode.Truncate).build(), 9, 8),
                Arguments.of("3x3 dilation 2 stride 2 Same", new ConvolutionLayer.Builder(3, 3).dilation(2, 2).stride(2, 2).convolutionMode(ConvolutionMode.Same).build(), 8, 7),
                Arguments.of("1D k=3 Causal", new Convolution1DLayer.Builder(3).convolutionMode(ConvolutionMode.Causal).build(), 1, 9),
                Arguments.of("1D k=4 dilation 2 Same", new Convolution1DLayer.Builder(4).dilation(2).convolutionMode(ConvolutionMode.Same).build(), 1, 10),
                Arguments.of("1D k=2 stride 3 Truncate", new Convolution1DLayer.Builder(2, 3, 1).convolutionMode(ConvolutionMode.Truncate).build(), 1, 11));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void forwardAndInputGradientEqualDl4jsOwn(String name, ConvolutionLayer conf, int h, int w) {
        boolean oneD = conf instanceof Convolution1DLayer;
        conf.setNOut(4);
        conf.setActivationFn(Activation.IDENTITY.getActivationFunction());
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE)
                .list().layer(conf).setInputType(oneD ? InputType.recurrent(3, w, RNNFormat.NCW)
                        : InputType.convolutional(h, w, 3)).build());
        net.init();
        net.initGradientsView();
        Layer layer = net.getLayer(0);
        Nd4j.getRandom().setSeed(4);
        INDArray x = Nd4j.randn(DataType.DOUBLE, oneD ? new long[] {2, 3, w} : new long[] {2, 3, h, w});
        LayerWorkspaceMgr noWorkspaces = LayerWorkspaceMgr.noWorkspaces();
        INDArray z = layer.activate(x, true, noWorkspaces).dup();
        INDArray delta = Nd4j.randn(DataType.DOUBLE, z.shape());
        INDArray dl4jInputGradient = layer.backpropGradient(delta, noWorkspaces).getSecond().dup();

        ConvolutionLayer layerConf = (ConvolutionLayer) layer.conf().getLayer();
        INDArray x4 = ConvolutionOps.contiguous(ConvLayout.toNchw(layerConf, x));
        ConvGeometry g = ConvGeometry.of(layerConf, x4);
        INDArray kernel = ConvLayout.kernel(layerConf, layer.getParam("W"));
        INDArray ours = Nd4j.create(DataType.DOUBLE, g.outputShape(2, 4));
        ConvolutionOps.forward(x4, kernel, layer.getParam("b"), g, ours);
        assertThat(Nets.maxRelativeError(ConvLayout.fromNchw(layerConf, ours), z)).as("forward").isLessThan(1e-12);

        INDArray gradient = Nd4j.create(DataType.DOUBLE, g.inputShape(2, 3));
        ConvolutionOps.inputGradient(ConvLayout.toNchw(layerConf, delta), kernel, g, gradient);
        assertThat(Nets.maxRelativeError(ConvLayout.fromNchw(layerConf, gradient), dl4jInputGradient))
                .as("input gradient").isLessThan(1e-12);
    }
}
