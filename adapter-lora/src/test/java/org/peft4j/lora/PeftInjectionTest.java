package org.peft4j.lora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.RmsProp;
import org.peft4j.LayerSelector;
import org.peft4j.ParameterReport;
import org.peft4j.Peft;
import org.peft4j.PeftConfig;
import org.peft4j.PeftModel;
import org.peft4j.layers.AdapterLayer;
import org.peft4j.testkit.Nets;

/** Applying adapters: selection errors, frozen and trainable layers, new heads, updaters. */
class PeftInjectionTest {

    private static PeftConfig.Builder lora(LayerSelector targets) {
        return PeftConfig.builder().method("lora").config(LoraConfig.of(2, 2)).targets(targets);
    }

    private static PeftModel<MultiLayerNetwork> apply(PeftConfig config) {
        return Peft.apply(LoraFixtures.mlp(DataType.FLOAT), config, LoraFixtures.registry());
    }

    @Test
    void aSelectorThatMatchesNothingIsAnErrorListingTheLayers() {
        assertThatThrownBy(() -> apply(lora(LayerSelector.byName("dense9")).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("matches no layer")
                .hasMessageContaining("dense1 (DenseLayer)").hasMessageContaining("out (OutputLayer)");
        assertThatThrownBy(() -> apply(lora(LayerSelector.names("dense1")).trainable(LayerSelector.names("nope")).build()))
                .hasMessageContaining("trainable selector");
    }

    @Test
    void aLayerTheMethodCannotAdaptIsNamedWithItsType() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new ConvolutionLayer.Builder(3, 3).name("conv").nOut(2).build())
                .layer(new OutputLayer.Builder().name("out").nOut(2).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(6, 6, 1)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        assertThatThrownBy(() -> Peft.apply(net, lora(LayerSelector.names("conv")).build(), LoraFixtures.registry()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("layer 'conv' (ConvolutionLayer) cannot be adapted by 'lora'");
    }

    @Test
    void layerNormAndAdaptingTwiceAreRefused() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new DenseLayer.Builder().name("ln").nIn(3).nOut(2).hasLayerNorm(true).build())
                .layer(new OutputLayer.Builder().name("out").nOut(2).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.feedForward(3)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        assertThatThrownBy(() -> Peft.apply(net, lora(LayerSelector.names("ln")).build(), LoraFixtures.registry()))
                .hasMessageContaining("layer normalisation");
        MultiLayerNetwork adapted = apply(lora(LayerSelector.names("dense1")).build()).network();
        assertThatThrownBy(() -> Peft.apply(adapted, lora(LayerSelector.names("dense2")).build(), LoraFixtures.registry()))
                .hasMessageContaining("already adapted by 'lora'");
    }

    @Test
    void wrongConfigTypeAndUnknownMethodFailClearly() {
        assertThatThrownBy(() -> apply(PeftConfig.builder().method("lora").config(new org.peft4j.spi.AdapterConfig() { })
                .targets(LayerSelector.names("dense1")).build())).hasMessageContaining("takes a LoraConfig");
        assertThatThrownBy(() -> apply(PeftConfig.builder().method("colorra").targets(LayerSelector.names("dense1")).build()))
                .hasMessageContaining("no adapter method named 'colorra'").hasMessageContaining("lora");
        assertThatThrownBy(() -> apply(lora(LayerSelector.names("dense1")).trainable(LayerSelector.names("dense1")).build()))
                .hasMessageContaining("both as an adapter target and as a trainable layer");
    }

    @Test
    void everyOtherLayerIsFrozenUnlessChosenTrainable() {
        PeftModel<MultiLayerNetwork> model = apply(lora(LayerSelector.names("dense1"))
                .trainable(LayerSelector.names("dense2")).build());
        MultiLayerNetwork net = model.network();
        assertThat(net.getLayerWiseConfigurations().getConf(0).getLayer()).isInstanceOf(AdapterLayer.class);
        assertThat(net.getLayerWiseConfigurations().getConf(1).getLayer()).isExactlyInstanceOf(DenseLayer.class);
        assertThat(net.getLayerWiseConfigurations().getConf(2).getLayer()).isInstanceOf(FrozenLayerWithBackprop.class);
        ParameterReport report = model.parameterReport();
        long expectedTrainable = (6 * 2 + 2 * 8) + (8 * 7 + 7);
        assertThat(report.trainable()).isEqualTo(expectedTrainable);
        assertThat(report.rows()).extracting(ParameterReport.Row::type)
                .containsExactly("lora(DenseLayer)", "DenseLayer", "Frozen(OutputLayer)");

        INDArray dense2 = net.getLayer(1).params().dup();
        INDArray out = net.getLayer(2).params().dup();
        Nets.fit(net, LoraFixtures.data(DataType.FLOAT), 3);
        assertThat(net.getLayer(1).params()).isNotEqualTo(dense2);
        assertThat(net.getLayer(2).params()).isEqualTo(out);
    }

    @Test
    void aNewOutputLayerIsFreshTrainableAndSized() {
        MultiLayerNetwork base = LoraFixtures.mlp(DataType.FLOAT);
        PeftModel<MultiLayerNetwork> model = Peft.apply(base, lora(LayerSelector.byType(DenseLayer.class))
                .newOutput(5).updater(new RmsProp(1e-3)).build(), LoraFixtures.registry());
        MultiLayerNetwork net = model.network();
        OutputLayer head = (OutputLayer) net.getLayerWiseConfigurations().getConf(2).getLayer();
        assertThat(head.getNOut()).isEqualTo(5);
        assertThat(head.getIUpdater()).isInstanceOf(RmsProp.class);
        assertThat(((BaseLayer) ((AdapterLayer) net.getLayerWiseConfigurations().getConf(0).getLayer()).getUnderlying())
                .getIUpdater()).isInstanceOf(RmsProp.class);
        assertThat(net.getLayer(2).getParam("W").shape()).containsExactly(7, 5);
        assertThat(net.getLayerWiseConfigurations().getIterationCount()).isZero();
        DataSet data = new DataSet(LoraFixtures.data(DataType.FLOAT).getFeatures(), Nd4j.eye(5).getRows(0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1).castTo(DataType.FLOAT));
        Nets.fit(net, data, 2);
        assertThat(net.output(data.getFeatures()).shape()).containsExactly(12, 5);
        assertThat(model.mergeAndUnload().getLayer(2).getParam("W").shape()).containsExactly(7, 5);
        assertThatThrownBy(() -> Peft.apply(base, lora(LayerSelector.names("out")).newOutput(4).build(), LoraFixtures.registry()))
                .hasMessageContaining("cannot also be an adapter target");
        assertThat(base.getLayer(2).getParam("W").shape()).as("the base is untouched").containsExactly(7, 3);
        assertThat(((BaseLayer) base.getLayerWiseConfigurations().getConf(0).getLayer()).getIUpdater())
                .isNotInstanceOf(RmsProp.class);
    }
}
