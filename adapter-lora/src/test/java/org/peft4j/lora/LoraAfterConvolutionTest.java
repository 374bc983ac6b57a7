package org.peft4j.lora;

import static org.assertj.core.api.Assertions.assertThat;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.peft4j.LayerSelector;
import org.peft4j.Peft;
import org.peft4j.PeftConfig;
import org.peft4j.PeftModel;
import org.peft4j.testkit.Nets;

/**
 * LoRA on a dense layer fed by frozen convolutions through DL4J's CNN-to-dense preprocessor, with a
 * new trainable head: the set-up of a fine-tuning run on an image backbone.
 */
class LoraAfterConvolutionTest {

    private static MultiLayerNetwork backbone(DataType type) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(8).dataType(type)
                .activation(Activation.TANH).list()
                .layer(new ConvolutionLayer.Builder(3, 3).name("conv").nOut(3).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.AVG).name("pool").kernelSize(2, 2)
                        .stride(2, 2).build())
                .layer(new DenseLayer.Builder().name("fc1").nOut(6).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("predictions").nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(6, 6, 2)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    @Test
    void gradientsOfAdapterAndNewHeadPassTheDoublePrecisionCheck() {
        DataType previous = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            PeftModel<MultiLayerNetwork> model = Peft.apply(backbone(DataType.DOUBLE), PeftConfig.builder().method("lora")
                    .config(LoraConfig.of(2, 4)).targets(LayerSelector.names("fc1")).newOutput(4).updater(new NoOp())
                    .build(), LoraFixtures.registry());
            MultiLayerNetwork net = model.network();
            Nd4j.getRandom().setSeed(4);
            net.getLayer(2).getParam("B").assign(Nd4j.randn(DataType.DOUBLE, 2, 6));
            INDArray x = Nd4j.randn(DataType.DOUBLE, 5, 2, 6, 6);
            INDArray y = Nd4j.eye(4).getRows(0, 1, 2, 3, 1).castTo(DataType.DOUBLE);
            assertThat(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(y)
                    .excludeParams(Nets.frozenParamNames(net)))).isTrue();
        } finally {
            Nd4j.setDefaultDataTypes(previous, previous);
        }
    }
}
