package org.peft4j.lora;

import static org.assertj.core.api.Assertions.assertThat;

import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.peft4j.LayerSelector;
import org.peft4j.Peft;
import org.peft4j.PeftConfig;
import org.peft4j.PeftModel;
import org.peft4j.testkit.Nets;

/**
 * An adapted layer keeps its merged weights between passes while nothing changes (repeated inference costs what
 * the merged network's does), and computes them again after any change, whichever way it is made.
 */
class MergedWeightsTest {

    private static PeftModel<MultiLayerNetwork> model() {
        PeftModel<MultiLayerNetwork> model = Peft.apply(LoraFixtures.mlp(DataType.DOUBLE), PeftConfig.builder()
                .method("lora").config(LoraConfig.of(2, 4)).targets(LayerSelector.byType(DenseLayer.class)).build(),
                LoraFixtures.registry());
        Nd4j.getRandom().setSeed(6);
        Nets.adapterParams(model.network()).values().forEach(p -> p.assign(Nd4j.randn(p.dataType(), p.shape())));
        return model;
    }

    @Test
    void everyChangeOfAFrozenOrAdapterValueShowsInTheNextOutput() {
        PeftModel<MultiLayerNetwork> model = model();
        MultiLayerNetwork net = model.network();
        INDArray x = LoraFixtures.data(DataType.DOUBLE).getFeatures();
        INDArray first = net.output(x);
        assertThat(net.output(x)).as("unchanged: the same merged weights").isEqualTo(first);

        net.getLayer(0).getParam("W").muli(1.5);
        INDArray afterW = net.output(x);
        assertThat(Nets.maxRelativeError(afterW, model.mergeAndUnload().output(x))).isLessThan(1e-12);
        assertThat(afterW).as("frozen W changed in place").isNotEqualTo(first);

        INDArray params = net.params().dup();
        net.getLayer(0).getParam("B").addi(0.25);
        INDArray afterB = net.output(x);
        assertThat(afterB).as("adapter B changed in place").isNotEqualTo(afterW);
        assertThat(Nets.maxRelativeError(afterB, model.mergeAndUnload().output(x))).isLessThan(1e-12);

        net.setParams(params);
        assertThat(Nets.values(net.output(x))).as("setParams on the network").containsExactly(Nets.values(afterW));
    }
}
