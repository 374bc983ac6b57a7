package org.peft4j.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.peft4j.spi.WeightShape;
import org.peft4j.testkit.Nets;

/**
 * The native routes ({@link Conv2dRoute}, {@link Conv3dRoute}, {@link DenseRoute}) against DL4J's own layers, whose
 * forward pass, input gradient and weight and bias gradients (with the input gradient and without it) they must
 * reproduce, for every route they take:
 * symmetric and asymmetric Same padding (even kernels), padding beyond the kernel, causal padding, strides,
 * dilations, many channels on few positions, both data formats, in double (to 1e-12) and in float (to 1e-5
 * relative; dilated float convolutions
 * are the case the oneDNN natives cannot run directly). DL4J's reference runs channels first (its own 1D backward
 * pass fails op validation for NWC), with libnd4j's platform helpers off; the route runs in the tested format on
 * the same data, permuted.
 */
class ConvRoutesTest {

    static Stream<Arguments> layers() {
        return Stream.of(
                Arguments.of("3x3 Same", new ConvolutionLayer.Builder(3, 3).convolutionMode(ConvolutionMode.Same)),
                Arguments.of("2x4 Same (asymmetric)", new ConvolutionLayer.Builder(2, 4).convolutionMode(ConvolutionMode.Same)),
                Arguments.of("1x1 padding 2", new ConvolutionLayer.Builder(1, 1).padding(2, 2).convolutionMode(ConvolutionMode.Truncate)),
                Arguments.of("3x2 stride 2x3 Truncate", new ConvolutionLayer.Builder(3, 2).stride(2, 3).padding(1, 0).convolutionMode(ConvolutionMode.Truncate)),
                Arguments.of("3x2 stride 2 Truncate (its transposed convolution fits)", new ConvolutionLayer.Builder(3, 2).stride(2, 2).padding(1, 0).convolutionMode(ConvolutionMode.Truncate)),
                Arguments.of("3D 2x3x3 stride 2 Truncate (its transposed convolution fits)", new Convolution3D.Builder(2, 3, 3).stride(2, 2, 2).padding(0, 1, 1).convolutionMode(ConvolutionMode.Truncate)),
                Arguments.of("3x3 dilation 2 stride 2 Same", new ConvolutionLayer.Builder(3, 3).dilation(2, 2).stride(2, 2).convolutionMode(ConvolutionMode.Same)),
                Arguments.of("3x3 dilation 2 Truncate", new ConvolutionLayer.Builder(3, 3).dilation(2, 1).convolutionMode(ConvolutionMode.Truncate)),
                Arguments.of("1D k=3 Causal", new Convolution1DLayer.Builder(3).convolutionMode(ConvolutionMode.Causal)),
                Arguments.of("1D k=4 dilation 2 Same", new Convolution1DLayer.Builder(4).dilation(2).convolutionMode(ConvolutionMode.Same)),
                Arguments.of("1D k=2 stride 3 Truncate", new Convolution1DLayer.Builder(2, 3, 1).convolutionMode(ConvolutionMode.Truncate)),
                Arguments.of("3D 3x3x3 Same", new Convolution3D.Builder(3, 3, 3).convolutionMode(ConvolutionMode.Same)),
                Arguments.of("3D 2x3x2 stride 2 dilation 2 Truncate", new Convolution3D.Builder(2, 3, 2).stride(2, 1, 2)
                        .dilation(1, 2, 1).padding(1, 0, 1).convolutionMode(ConvolutionMode.Truncate)));
    }

    static Stream<Arguments> cases() {
        return layers().flatMap(a -> Stream.of(DataType.DOUBLE, DataType.FLOAT).flatMap(type -> Stream.of(false, true)
                .map(last -> Arguments.of(a.get()[0], a.get()[1], type, last))));
    }

    /**
     * Many input channels on few positions: the kernel gradient runs as a forward convolution instead of inside
     * {@code conv2d_bp}.
     */
    static Stream<Arguments> wide() {
        return Stream.of(DataType.DOUBLE, DataType.FLOAT).flatMap(type -> Stream.of(false, true)
                .map(last -> Arguments.of("256 channels, 4x5, 3x3 Same", new ConvolutionLayer.Builder(3, 3)
                        .convolutionMode(ConvolutionMode.Same), type, last)));
    }

    @ParameterizedTest(name = "{0}, {2}, channels last {3}")
    @MethodSource("wide")
    void kernelGradientByConvolutionEqualsDl4jsOwn(String name, Object builder, DataType type, boolean last) {
        check(builder, type, last, 256, 4, 5);
    }

    @ParameterizedTest(name = "{0}, {2}, channels last {3}")
    @MethodSource("cases")
    void forwardAndGradientsEqualDl4jsOwn(String name, Object builder, DataType type, boolean last) {
        check(builder, type, last, 3, 9, 8);
    }

    private static void check(Object builder, DataType type, boolean last, int channels, int h, int w) {
        Layer layer = layer(build(builder, false), type, channels, h, w);
        Layer tested = last ? layer(build(builder, true), type, channels, h, w) : layer;
        tested.setParams(layer.params());
        int rank = layer.conf().getLayer() instanceof Convolution3D ? 5
                : layer.conf().getLayer() instanceof Convolution1DLayer ? 3 : 4;
        Nd4j.getRandom().setSeed(4);
        long[] shape = switch (rank) {
            case 3 -> new long[] {2, channels, 11};
            case 4 -> new long[] {2, channels, h, w};
            default -> new long[] {2, channels, 6, 7, 5};
        };
        INDArray x = Nd4j.randn(type, shape);
        LayerWorkspaceMgr none = LayerWorkspaceMgr.noWorkspaces();
        INDArray z = DilatedConvolutions.run(true, () -> layer.activate(x, true, none).dup());
        INDArray delta = Nd4j.randn(type, z.shape());
        var dl4j = DilatedConvolutions.run(true, () -> layer.backpropGradient(delta, none));
        INDArray dx = dl4j.getSecond().dup();
        WeightShape weight = WeightShape.of(layer.conf().getLayer()).orElseThrow();
        INDArray kernelGradient = KernelLayout.kernel(weight, dl4j.getFirst().getGradientFor("W")).dup();
        INDArray biasGradient = dl4j.getFirst().getGradientFor("b").dup();

        LayerRoute route = rank == 5 ? new Conv3dRoute((Convolution3D) tested.conf().getLayer())
                : new Conv2dRoute((ConvolutionLayer) tested.conf().getLayer());
        INDArray kernel = KernelLayout.kernel(weight, layer.getParam("W"));
        INDArray xt = last ? lastOf(x) : x;
        double tolerance = type == DataType.DOUBLE ? 1e-12 : 1e-5;
        INDArray ours = Nd4j.create(type, route.outputShape(xt));
        route.forward(xt, kernel, layer.getParam("b"), ours);
        assertThat(Nets.maxRelativeError(first(ours, last), z)).as("forward").isLessThan(tolerance);

        INDArray deltat = last ? lastOf(delta) : delta;
        INDArray inputGradient = Nd4j.create(type, xt.shape());
        route.inputGradient(xt, kernel, deltat, inputGradient);
        assertThat(Nets.maxRelativeError(first(inputGradient, last), dx)).as("input gradient alone").isLessThan(tolerance);

        INDArray together = Nd4j.create(type, xt.shape());
        INDArray g = Nd4j.create(type, weight.shape());
        INDArray gb = Nd4j.create(type, weight.outputs());
        route.backward(xt, kernel, deltat, together, g, gb);
        assertThat(Nets.maxRelativeError(first(together, last), dx)).as("input gradient").isLessThan(tolerance);
        assertThat(Nets.maxRelativeError(g, kernelGradient)).as("kernel gradient").isLessThan(tolerance);
        assertThat(Nets.maxRelativeError(gb, biasGradient.reshape(gb.shape()))).as("bias gradient").isLessThan(tolerance);

        INDArray alone = Nd4j.create(type, weight.shape());
        INDArray biasAlone = Nd4j.create(type, weight.outputs());
        route.backward(xt, kernel, deltat, null, alone, biasAlone);
        assertThat(Nets.maxRelativeError(alone, kernelGradient)).as("kernel gradient without dx").isLessThan(tolerance);
        assertThat(Nets.maxRelativeError(biasAlone, biasGradient.reshape(gb.shape()))).as("bias gradient without dx")
                .isLessThan(tolerance);
    }

    /** {@link DenseRoute} against DL4J's {@code DenseLayer}: forward, input gradient, weight and bias gradients. */
    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"DOUBLE", "FLOAT"})
    void denseRouteReproducesDl4jsDenseLayer(DataType type) {
        Nd4j.getRandom().setSeed(11);
        DenseLayer conf = new DenseLayer.Builder().nIn(13).nOut(6).activation(Activation.IDENTITY).build();
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3).dataType(type)
                .list().layer(conf).build());
        net.init();
        net.initGradientsView();
        Layer layer = net.getLayer(0);
        INDArray x = Nd4j.randn(type, 5, 13);
        LayerWorkspaceMgr none = LayerWorkspaceMgr.noWorkspaces();
        INDArray z = layer.activate(x, true, none).dup();
        INDArray delta = Nd4j.randn(type, z.shape());
        var dl4j = layer.backpropGradient(delta, none);
        double tolerance = type == DataType.DOUBLE ? 1e-12 : 1e-5;

        DenseRoute route = new DenseRoute((DenseLayer) layer.conf().getLayer());
        INDArray ours = Nd4j.create(type, route.outputShape(x));
        route.forward(x, layer.getParam("W"), layer.getParam("b"), ours);
        INDArray dx = Nd4j.create(type, x.shape());
        INDArray g = Nd4j.create(type, 13, 6);
        INDArray gb = Nd4j.create(type, 6);
        route.backward(x, layer.getParam("W"), delta, dx, g, gb);

        assertThat(Nets.maxRelativeError(ours, z)).as("forward").isLessThan(tolerance);
        assertThat(Nets.maxRelativeError(dx, dl4j.getSecond())).as("input gradient").isLessThan(tolerance);
        assertThat(Nets.maxRelativeError(g, dl4j.getFirst().getGradientFor("W"))).as("weight gradient")
                .isLessThan(tolerance);
        assertThat(Nets.maxRelativeError(gb, dl4j.getFirst().getGradientFor("b").reshape(6))).as("bias gradient")
                .isLessThan(tolerance);
    }

    /** The layer alone in a network of {@code type}, its input size inferred. */
    private static Layer layer(org.deeplearning4j.nn.conf.layers.Layer conf, DataType type, int channels, int h, int w) {
        InputType input;
        if (conf instanceof Convolution3D c) {
            input = InputType.convolutional3D(c.getDataFormat(), 6, 7, 5, channels);
        } else if (conf instanceof Convolution1DLayer c) {
            input = InputType.recurrent(channels, 11, c.getRnnDataFormat());
        } else {
            input = InputType.convolutional(h, w, channels, ((ConvolutionLayer) conf).getCnn2dDataFormat());
        }
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3).dataType(type)
                .list().layer(conf).setInputType(input).build());
        net.init();
        net.initGradientsView();
        return net.getLayer(0);
    }

    /** A channels-first array as channels last, c order. */
    private static INDArray lastOf(INDArray first) {
        return switch (first.rank()) {
            case 3 -> first.permute(0, 2, 1).dup('c');
            case 4 -> first.permute(0, 2, 3, 1).dup('c');
            default -> first.permute(0, 2, 3, 4, 1).dup('c');
        };
    }

    /** {@code array} as channels first, when it is channels last. */
    private static INDArray first(INDArray array, boolean last) {
        if (!last) {
            return array;
        }
        return switch (array.rank()) {
            case 3 -> array.permute(0, 2, 1);
            case 4 -> array.permute(0, 3, 1, 2);
            default -> array.permute(0, 4, 1, 2, 3);
        };
    }

    private static org.deeplearning4j.nn.conf.layers.Layer build(Object builder, boolean last) {
        org.deeplearning4j.nn.conf.layers.Layer.Builder<?> b = (org.deeplearning4j.nn.conf.layers.Layer.Builder<?>) builder;
        org.deeplearning4j.nn.conf.layers.Layer conf = b.build();
        if (conf instanceof Convolution3D c) {
            c.setDataFormat(last ? Convolution3D.DataFormat.NDHWC : Convolution3D.DataFormat.NCDHW);
            c.setNOut(4);
            c.setActivationFn(Activation.IDENTITY.getActivationFunction());
        } else if (conf instanceof Convolution1DLayer c) {
            c.setRnnDataFormat(last ? RNNFormat.NWC : RNNFormat.NCW);
            c.setNOut(4);
            c.setActivationFn(Activation.IDENTITY.getActivationFunction());
        } else {
            ConvolutionLayer c = (ConvolutionLayer) conf;
            c.setCnn2dDataFormat(last ? CNN2DFormat.NHWC : CNN2DFormat.NCHW);
            c.setNOut(4);
            c.setActivationFn(Activation.IDENTITY.getActivationFunction());
        }
        return conf;
    }
}
