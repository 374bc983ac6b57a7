package org.peft4j.natives;

import static org.assertj.core.api.Assertions.assertThat;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.peft4j.testkit.Nets;

/**
 * DL4J's own layers run on their oneDNN helpers once {@link Dl4jHelpers#enable()} has run (the test JVMs enable
 * them as the command line does), and compute what DL4J's built-in route computes.
 */
class Dl4jHelpersTest {

    private static MultiLayerNetwork network() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(5).dataType(DataType.FLOAT).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(8).convolutionMode(ConvolutionMode.Same).build())
                .layer(new SubsamplingLayer.Builder(2, 2).stride(2, 2).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).build())
                .setInputType(InputType.convolutional(12, 12, 2)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    @Test
    void aPlainConvolutionLayerGetsTheOneDnnHelperAndComputesWhatTheBuiltInRouteComputes() {
        assertThat(Dl4jHelpers.enabled()).isTrue();
        MultiLayerNetwork withHelpers = network();
        assertThat(withHelpers.getLayer(0).getHelper()).isInstanceOf(MKLDNNConvHelper.class);

        String previous = System.getProperty(Dl4jHelpers.DISABLE_PROPERTY);
        System.setProperty(Dl4jHelpers.DISABLE_PROPERTY, "true");
        MultiLayerNetwork builtIn;
        try {
            builtIn = network();
        } finally {
            System.setProperty(Dl4jHelpers.DISABLE_PROPERTY, previous);
        }
        assertThat(builtIn.getLayer(0).getHelper()).isNull();
        builtIn.setParams(withHelpers.params());
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 2, 12, 12);
        assertThat(Nets.maxRelativeError(withHelpers.output(x), builtIn.output(x))).isLessThan(1e-5);
    }
}
