package org.peft4j.testkit;

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
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.peft4j.AdapterRegistry;
import org.peft4j.LayerSelector;
import org.peft4j.Peft;
import org.peft4j.PeftConfig;
import org.peft4j.PeftModel;
import org.peft4j.ops.Conv2dRoute;
import org.peft4j.spi.AdapterConfig;

/**
 * Checks a method's gradients on one wide 2D convolution with few output positions ({@code channels} inputs, 5
 * outputs, 3x3, {@code size x size}, batch 2), the layers where the core lets a method compute its gradients without
 * the merged kernel's gradient {@code G}: the network is {@code conv -> global average pooling -> softmax output},
 * adapter parameters drawn at random (scale 0.3) so that every path carries a gradient.
 *
 * @param method   the method's name
 * @param config   its configuration
 * @param registry a registry that holds it
 */
public record WideConvLayerCheck(String method, AdapterConfig config, AdapterRegistry registry) {

    /**
     * DL4J's double-precision gradient check, after asserting that the layer takes the route without {@code G}.
     *
     * @param mode Same, or Truncate with a symmetric padding of 1
     */
    public void passesTheGradientCheck(CNN2DFormat format, boolean bias, ConvolutionMode mode, int channels, int size) {
        DataType previous = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            MultiLayerNetwork base = network(format, bias, mode, DataType.DOUBLE, channels, size);
            INDArray x = Nd4j.rand(DataType.DOUBLE, shape(format, channels, size));
            INDArray delta = Nd4j.rand(DataType.DOUBLE, shape(format, 5, size));
            assertThat(new Conv2dRoute((ConvolutionLayer) base.getLayer(0).conf().getLayer()).directPass(x, delta))
                    .as("the layer takes the route without G").isPresent();
            PeftModel<MultiLayerNetwork> model = adapted(base);
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

    /** The gradient in float (the natives the suite runs on) within 1e-4 of double precision, same parameters. */
    public void inFloatMatchesDoublePrecision(CNN2DFormat format, int channels, int size) {
        Nd4j.getRandom().setSeed(9);
        INDArray x = Nd4j.rand(DataType.DOUBLE, shape(format, channels, size));
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, 2, 3);
        labels.putScalar(0, 0, 1.0);
        labels.putScalar(1, 1, 1.0);
        INDArray[] gradients = new INDArray[2];
        DataType[] types = {DataType.DOUBLE, DataType.FLOAT};
        for (int i = 0; i < 2; i++) {
            PeftModel<MultiLayerNetwork> model = adapted(network(format, true, ConvolutionMode.Same, types[i], channels,
                    size));
            gradients[i] = Nets.gradient(model.network(), new DataSet(x.castTo(types[i]), labels.castTo(types[i])));
        }
        assertThat(Nets.normRelativeError(gradients[1], gradients[0])).isLessThan(1e-4);
    }

    private PeftModel<MultiLayerNetwork> adapted(MultiLayerNetwork base) {
        PeftModel<MultiLayerNetwork> model = Peft.apply(base, PeftConfig.builder().method(method).config(config)
                .targets(LayerSelector.names("conv")).updater(new NoOp()).build(), registry);
        Nd4j.getRandom().setSeed(5);
        Nets.adapterParams(model.network()).values()
                .forEach(p -> p.assign(Nd4j.randn(DataType.DOUBLE, p.shape()).muli(0.3)));
        return model;
    }

    private static long[] shape(CNN2DFormat format, int channels, int size) {
        return format == CNN2DFormat.NCHW ? new long[] {2, channels, size, size} : new long[] {2, size, size, channels};
    }

    private static MultiLayerNetwork network(CNN2DFormat format, boolean bias, ConvolutionMode mode, DataType type,
            int channels, int size) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(type)
                .updater(new NoOp()).list()
                .layer(new ConvolutionLayer.Builder(3, 3).name("conv").nOut(5).hasBias(bias).convolutionMode(mode)
                        .padding(mode == ConvolutionMode.Same ? new int[] {0, 0} : new int[] {1, 1})
                        .dataFormat(format).activation(Activation.TANH).build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.convolutional(size, size, channels, format)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }
}
