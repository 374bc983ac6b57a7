package org.peft4j.colora;

import static org.assertj.core.api.Assertions.assertThat;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.peft4j.LayerSelector;
import org.peft4j.Peft;
import org.peft4j.PeftConfig;
import org.peft4j.PeftModel;
import org.peft4j.ops.Conv2dRoute;
import org.peft4j.testkit.Nets;

/**
 * CoLoRA on a wide layer with few output positions (256 input channels at 4x4), where the core computes the
 * factor gradients through the pointwise and depthwise convolutions instead of from the merged kernel's
 * gradient: DL4J's double-precision gradient check in both data formats, with and without a bias, in Same and
 * symmetric Truncate padding; in float (the natives the suite runs on) against double precision.
 */
class ColoraWideLayerGradientTest {

    private static final int CHANNELS = 256;
    private static final int SIZE = 4;

    @ParameterizedTest(name = "{0}, bias {1}, {2}")
    @CsvSource({"NCHW, true, Same", "NCHW, false, Truncate", "NHWC, true, Truncate", "NHWC, false, Same"})
    void factorGradientsThroughTheConvolutionsPassTheGradientCheck(CNN2DFormat format, boolean bias,
            ConvolutionMode mode) {
        DataType previous = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            MultiLayerNetwork base = network(format, bias, mode);
            INDArray x = Nd4j.rand(DataType.DOUBLE, format == CNN2DFormat.NCHW
                    ? new long[] {2, CHANNELS, SIZE, SIZE} : new long[] {2, SIZE, SIZE, CHANNELS});
            INDArray delta = Nd4j.rand(DataType.DOUBLE, format == CNN2DFormat.NCHW
                    ? new long[] {2, 5, SIZE, SIZE} : new long[] {2, SIZE, SIZE, 5});
            assertThat(new Conv2dRoute((ConvolutionLayer) base.getLayer(0).conf().getLayer()).directPass(x, delta))
                    .as("the layer takes the route without G").isPresent();

            PeftModel<MultiLayerNetwork> model = Peft.apply(base, PeftConfig.builder().method("colora")
                    .config(ColoraConfig.DEFAULT).targets(LayerSelector.names("conv")).updater(new NoOp()).build(),
                    ColoraFixtures.registry());
            Nd4j.getRandom().setSeed(5);
            Nets.adapterParams(model.network()).values()
                    .forEach(p -> p.assign(Nd4j.randn(p.dataType(), p.shape()).muli(0.3)));
            INDArray labels = Nd4j.zeros(DataType.DOUBLE, 2, 3);
            labels.putScalar(0, 1, 1.0);
            labels.putScalar(1, 2, 1.0);

            boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(model.network())
                    .input(x).labels(labels).subset(true).maxPerParam(40)
                    .excludeParams(Nets.frozenParamNames(model.network())));
            assertThat(ok).isTrue();
        } finally {
            Nd4j.setDefaultDataTypes(previous, previous);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"NCHW", "NHWC"})
    void inFloatTheGradientsMatchDoublePrecision(CNN2DFormat format) {
        long[] shape = format == CNN2DFormat.NCHW ? new long[] {2, CHANNELS, SIZE, SIZE} : new long[] {2, SIZE, SIZE, CHANNELS};
        Nd4j.getRandom().setSeed(9);
        INDArray x = Nd4j.rand(DataType.DOUBLE, shape);
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, 2, 3);
        labels.putScalar(0, 0, 1.0);
        labels.putScalar(1, 1, 1.0);
        INDArray[] gradients = new INDArray[2];
        DataType[] types = {DataType.DOUBLE, DataType.FLOAT};
        for (int i = 0; i < 2; i++) {
            MultiLayerNetwork base = network(format, true, ConvolutionMode.Same, types[i]);
            PeftModel<MultiLayerNetwork> model = Peft.apply(base, PeftConfig.builder().method("colora")
                    .config(ColoraConfig.DEFAULT).targets(LayerSelector.names("conv")).updater(new NoOp()).build(),
                    ColoraFixtures.registry());
            Nd4j.getRandom().setSeed(5);
            Nets.adapterParams(model.network()).values()
                    .forEach(p -> p.assign(Nd4j.randn(DataType.DOUBLE, p.shape()).muli(0.3)));
            gradients[i] = Nets.gradient(model.network(), new DataSet(x.castTo(types[i]), labels.castTo(types[i])));
        }
        assertThat(Nets.normRelativeError(gradients[1], gradients[0])).isLessThan(1e-4);
    }

    private static MultiLayerNetwork network(CNN2DFormat format, boolean bias, ConvolutionMode mode) {
        return network(format, bias, mode, DataType.DOUBLE);
    }

    private static MultiLayerNetwork network(CNN2DFormat format, boolean bias, ConvolutionMode mode, DataType type) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(type)
                .updater(new NoOp()).list()
                .layer(new ConvolutionLayer.Builder(3, 3).name("conv").nOut(5).hasBias(bias).convolutionMode(mode)
                        .padding(mode == ConvolutionMode.Same ? new int[] {0, 0} : new int[] {1, 1})
                        .dataFormat(format).activation(Activation.TANH).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.convolutional(SIZE, SIZE, CHANNELS, format)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }
}
