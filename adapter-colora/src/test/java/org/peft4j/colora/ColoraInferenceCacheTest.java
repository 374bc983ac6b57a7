package org.peft4j.colora;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.peft4j.LayerSelector;
import org.peft4j.Peft;
import org.peft4j.PeftConfig;
import org.peft4j.PeftModel;
import org.peft4j.testkit.ConvNets;
import org.peft4j.testkit.Nets;

/**
 * Inference reuses the merged weights an adapted layer wrote for the previous pass while nothing changed; any
 * in-place change of an adapter parameter or of a frozen weight must show in the next output. The expected
 * output is that of a separate copy of the network, merged and unloaded after the same change.
 */
class ColoraInferenceCacheTest {

    private MultiLayerNetwork adapted;
    private INDArray x;

    @BeforeEach
    void adaptAndRunOnce() {
        PeftModel<MultiLayerNetwork> model = Peft.apply(ConvNets.mln2d(DataType.DOUBLE), PeftConfig.builder()
                .method("colora").targets(LayerSelector.names("conv1", "conv2")).updater(new NoOp()).build(),
                ColoraFixtures.registry());
        adapted = model.network();
        Nd4j.getRandom().setSeed(3);
        Nets.adapterParams(adapted).values().forEach(p -> p.assign(Nd4j.randn(p.dataType(), p.shape()).muli(0.5)));
        x = ConvNets.mln2dData(DataType.DOUBLE).getFeatures();
        adapted.output(x);
    }

    @Test
    void aChangedAdapterParameterShowsInTheNextOutput() {
        INDArray before = adapted.output(x);
        Map.Entry<String, INDArray> parameter = Nets.adapterParams(adapted).entrySet().iterator().next();
        parameter.getValue().putScalar(0, parameter.getValue().getDouble(0) + 0.75);

        INDArray after = adapted.output(x);

        assertThat(Nets.maxRelativeError(after, before)).as("changed %s", parameter.getKey()).isGreaterThan(1e-6);
        assertThat(Nets.maxRelativeError(after, mergedOutput())).isLessThan(1e-12);
    }

    @Test
    void aChangedFrozenWeightShowsInTheNextOutput() {
        INDArray before = adapted.output(x);
        INDArray w = adapted.getLayer(1).getParam("W");
        w.putScalar(0, w.getDouble(0) + 0.75);

        INDArray after = adapted.output(x);

        assertThat(Nets.maxRelativeError(after, before)).isGreaterThan(1e-6);
        assertThat(Nets.maxRelativeError(after, mergedOutput())).isLessThan(1e-12);
    }

    @Test
    void anUnchangedNetworkGivesTheSameOutputAgain() {
        assertThat(adapted.output(x)).isEqualTo(adapted.output(x));
        assertThat(Nets.maxRelativeError(adapted.output(x), mergedOutput())).isLessThan(1e-12);
    }

    private INDArray mergedOutput() {
        return Peft.wrap(adapted.clone()).mergeAndUnload().output(x);
    }
}
