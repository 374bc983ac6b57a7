package org.peft4j.layers;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.TrainingConfig;
import org.deeplearning4j.nn.conf.misc.DummyConfig;
import org.deeplearning4j.nn.layers.FrozenLayerWithBackprop;

/**
 * Runtime of {@link FrozenWithBackprop} for layers without a weight peft4j's core runs (batch normalisation,
 * ...): DL4J's own frozen wrapper, reporting no updater and no regularisation for the wrapped parameters.
 */
public class FrozenWithBackpropRuntime extends FrozenLayerWithBackprop {

    private final TrainingConfig frozen;

    public FrozenWithBackpropRuntime(Layer insideLayer) {
        super(insideLayer);
        this.frozen = new DummyConfig(insideLayer.getConfig().getLayerName());
    }

    @Override
    public TrainingConfig getConfig() {
        return frozen;
    }
}
