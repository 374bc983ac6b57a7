package org.peft4j.conv3d;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The {@link DepthwiseConvolution3D} DL4J layer: maths against loops, gradients, layout, serialisation. */
class DepthwiseConvolution3DTest {

    private static final int CHANNELS = 2;
    private static final int MULTIPLIER = 2;
    private static final int CLASSES = 3;

    @TempDir
    Path temp;

    private DataType previous;

    @BeforeEach
    void doublePrecision() {
        previous = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterEach
    void restore() {
        Nd4j.setDefaultDataTypes(previous, previous);
    }

    /**
     * A depthwise layer with stride, dilation and truncated padding, so every index path is used.
     * The stride differs in depth only: DL4J's 3D input-type inference reads the height stride for
     * the width too ({@code InputTypeUtil.getOutputTypeCnn3DLayers}), so a network whose height and
     * width strides differ gets wrong shapes for the layers after it.
     */
    private static DepthwiseConvolution3D.Builder depthwise(Convolution3D.DataFormat format) {
        DepthwiseConvolution3D.Builder builder = new DepthwiseConvolution3D.Builder(2, 3, 2).depthMultiplier(MULTIPLIER);
        builder.stride(2, 1, 1).padding(1, 1, 0).dilation(1, 1, 2).convolutionMode(ConvolutionMode.Truncate)
                .dataFormat(format);
        return builder;
    }

    private static Conv3dCase geometryOf(Convolution3D.DataFormat format) {
        return new Conv3dCase(format == Convolution3D.DataFormat.NCDHW, ConvolutionMode.Truncate, new int[] {2, 3, 2},
                new int[] {2, 1, 1}, new int[] {1, 1, 2}, new int[] {1, 1, 0}, new int[] {4, 5, 4}, 3);
    }

    @ParameterizedTest
    @EnumSource(Convolution3D.DataFormat.class)
    void outputAndGradientsMatchPlainLoops(Convolution3D.DataFormat format) {
        Conv3dCase c = geometryOf(format);
        Layer layer = Dl4jLayers.instantiate(depthwise(format).nIn(CHANNELS).activation(Activation.IDENTITY).build());
        layer.getParam("b").assign(Nd4j.linspace(DataType.DOUBLE, -1, 1, CHANNELS * MULTIPLIER));
        INDArray x = c.random(1, c.inputShape(3, CHANNELS));
        double[][][][][] w = kernel(layer.getParam("W"));

        INDArray y = layer.activate(x, true, Dl4jLayers.noWorkspaces());
        double[][][][][] expected = Conv3dLoops.depthwise(Conv3dLoops.volume(x, c.ncdhw()), w,
                layer.getParam("b").toDoubleVector(), c.sizes());
        assertThat(y.equalsWithEps(Conv3dLoops.array(expected, c.ncdhw()), 1e-10)).as("output").isTrue();

        INDArray dy = c.random(2, y.shape());
        var grads = layer.backpropGradient(dy, Dl4jLayers.noWorkspaces());
        double[][][][][] dx = Conv3dLoops.depthwiseInputGradient(Conv3dLoops.volume(dy, c.ncdhw()), w, c.sizes());
        assertThat(grads.getSecond().equalsWithEps(Conv3dLoops.array(dx, c.ncdhw()), 1e-10)).as("input gradient").isTrue();
        double[][][][][] dw = Conv3dLoops.depthwiseWeightGradient(Conv3dLoops.volume(x, c.ncdhw()),
                Conv3dLoops.volume(dy, c.ncdhw()), MULTIPLIER, c.sizes());
        assertThat(grads.getFirst().getGradientFor("W").equalsWithEps(weights(dw), 1e-10)).as("weight gradient").isTrue();
        INDArray db = Conv3dLoops.array(Conv3dLoops.volume(dy, c.ncdhw()), true).sum(0, 2, 3, 4);
        assertThat(grads.getFirst().getGradientFor("b").equalsWithEps(db, 1e-10)).as("bias gradient").isTrue();
    }

    @ParameterizedTest
    @EnumSource(Convolution3D.DataFormat.class)
    void gradientCheckPassesInDoublePrecision(Convolution3D.DataFormat format) {
        MultiLayerNetwork net = network(format, false);
        net.setUpdater(null);
        Conv3dCase c = geometryOf(format);
        INDArray x = c.random(1, c.inputShape(2, CHANNELS));
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, 2, CLASSES);
        labels.putScalar(0, 1, 1.0);
        labels.putScalar(1, 2, 1.0);
        // every conv parameter (its gradient flows through the depthwise input gradient), a sample of the
        // depthwise ones, none of DL4J's output layer: each checked parameter costs two forward passes
        assertThat(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(labels)
                .subset(true).maxPerParam(30).excludeParams(Set.of("2_W", "2_b")))).isTrue();
    }

    @Test
    void parametersFollowDepthwiseConvolution2DConventions() {
        MultiLayerNetwork net = network(Convolution3D.DataFormat.NCDHW, true);
        DepthwiseConvolution3D conf = (DepthwiseConvolution3D) net.getLayer(1).conf().getLayer();
        assertThat(conf.getNIn()).isEqualTo(3);
        assertThat(conf.getNOut()).isEqualTo(3 * MULTIPLIER);
        Map<String, INDArray> params = net.getLayer(1).paramTable();
        assertThat(params.keySet()).containsExactly("W", "b");
        assertThat(params.get("W").shape()).containsExactly(2, 3, 2, 3, MULTIPLIER);
        assertThat(params.get("b").shape()).containsExactly(3 * MULTIPLIER);
        INDArray flat = net.getLayer(1).params();
        assertThat(flat.length()).isEqualTo(2 * 3 * 2 * 3 * MULTIPLIER + 3 * MULTIPLIER);
        params.get("b").assign(7);
        assertThat(flat.getDouble(0)).as("the bias comes first in the flat view").isEqualTo(7.0);
    }

    @Test
    void outputTypeKeepsTheDataFormatAndUsesEachAxissStride() {
        InputType.InputTypeConvolutional3D out = (InputType.InputTypeConvolutional3D) ((DepthwiseConvolution3D)
                new DepthwiseConvolution3D.Builder(3, 3, 1).depthMultiplier(2).stride(1, 1, 2)
                        .convolutionMode(ConvolutionMode.Truncate).dataFormat(Convolution3D.DataFormat.NCDHW).nIn(4)
                        .build()).getOutputType(0, InputType.convolutional3D(Convolution3D.DataFormat.NCDHW, 5, 6, 7, 4));
        assertThat(out.getDataFormat()).isEqualTo(Convolution3D.DataFormat.NCDHW);
        assertThat(new long[] {out.getDepth(), out.getHeight(), out.getWidth(), out.getChannels()})
                .containsExactly(3, 4, 4, 8);
    }

    @Test
    void jsonAndModelSerializerRoundTripsKeepTheLayer() throws IOException {
        MultiLayerNetwork net = network(Convolution3D.DataFormat.NDHWC, true);
        Conv3dCase c = geometryOf(Convolution3D.DataFormat.NDHWC);
        INDArray x = c.random(1, c.inputShape(2, CHANNELS));
        String json = net.getLayerWiseConfigurations().toJson();
        MultiLayerConfiguration restoredConf = MultiLayerConfiguration.fromJson(json);
        assertThat(restoredConf.getConf(1).getLayer()).isEqualTo(net.getLayerWiseConfigurations().getConf(1).getLayer());
        assertThat(restoredConf.toJson()).isEqualTo(json);

        net.fit(x, Nd4j.eye(CLASSES).getRows(0, 1).castTo(DataType.DOUBLE));
        File file = temp.resolve("depthwise.zip").toFile();
        ModelSerializer.writeModel(net, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);
        assertThat(restored.getLayer(1).conf().getLayer()).isInstanceOf(DepthwiseConvolution3D.class);
        assertThat(restored.output(x).data().asDouble()).containsExactly(net.output(x).data().asDouble());
        assertThat(restored.getUpdater().getStateViewArray()).isEqualTo(net.getUpdater().getStateViewArray());
    }

    @Test
    void wrongChannelCountFailsNamingTheLayer() {
        Layer layer = Dl4jLayers.instantiate(depthwise(Convolution3D.DataFormat.NCDHW).name("dw").nIn(CHANNELS).build());
        INDArray x = Nd4j.zeros(DataType.DOUBLE, 1, CHANNELS + 1, 4, 5, 4);
        assertThatThrownBy(() -> layer.activate(x, false, Dl4jLayers.noWorkspaces()))
                .isInstanceOf(DL4JInvalidInputException.class).hasMessageContaining("'dw'")
                .hasMessageContaining("expects 2 input channels").hasMessageContaining("[1, 3, 4, 5, 4]");
    }

    @Test
    void depthMultiplierBelowOneIsRefused() {
        assertThatThrownBy(() -> new DepthwiseConvolution3D.Builder(3, 3, 3).depthMultiplier(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("depth multiplier must be >= 1, got 0");
    }

    /** conv3d (3 channels) -> depthwise (x2, tanh) -> output; the conv feeds the depthwise layer a gradient to check. */
    private static MultiLayerNetwork network(Convolution3D.DataFormat format, boolean trainable) {
        Conv3dCase c = geometryOf(format);
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(5).dataType(DataType.DOUBLE)
                .updater(trainable ? new Adam(1e-2) : new NoOp()).weightInit(WeightInit.XAVIER)
                .list()
                .layer(new Convolution3D.Builder().kernelSize(1, 1, 1).nOut(3).dataFormat(format)
                        .convolutionMode(ConvolutionMode.Same).activation(Activation.TANH).build())
                .layer(depthwise(format).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional3D(format, c.in()[0], c.in()[1], c.in()[2], CHANNELS))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** W [kD, kH, kW, C, m] as the loops' [C][m][kD][kH][kW]. */
    private static double[][][][][] kernel(INDArray w) {
        long[] s = w.shape();
        double[][][][][] out = new double[(int) s[3]][(int) s[4]][(int) s[0]][(int) s[1]][(int) s[2]];
        for (int c = 0; c < s[3]; c++) {
            for (int j = 0; j < s[4]; j++) {
                for (int d = 0; d < s[0]; d++) {
                    for (int h = 0; h < s[1]; h++) {
                        for (int x = 0; x < s[2]; x++) {
                            out[c][j][d][h][x] = w.getDouble(d, h, x, c, j);
                        }
                    }
                }
            }
        }
        return out;
    }

    /** The loops' [C][m][kD][kH][kW] as W [kD, kH, kW, C, m]. */
    private static INDArray weights(double[][][][][] dw) {
        INDArray out = Nd4j.create(DataType.DOUBLE, dw[0][0].length, dw[0][0][0].length, dw[0][0][0][0].length,
                dw.length, dw[0].length);
        for (int c = 0; c < dw.length; c++) {
            for (int j = 0; j < dw[0].length; j++) {
                for (int d = 0; d < dw[0][0].length; d++) {
                    for (int h = 0; h < dw[0][0][0].length; h++) {
                        for (int x = 0; x < dw[0][0][0][0].length; x++) {
                            out.putScalar(new int[] {d, h, x, c, j}, dw[c][j][d][h][x]);
                        }
                    }
                }
            }
        }
        return out;
    }
}
