package org.peft4j.multimethod;

import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.peft4j.LayerSelector;
import org.peft4j.PeftConfig;
import org.peft4j.lora.LoraConfig;
import org.peft4j.spi.AdapterConfig;
import org.peft4j.testkit.AdapterContract;
import org.peft4j.testkit.ContractFixture;
import org.peft4j.testkit.MixedNets;

/**
 * The adapter contract (with the lifecycle contract) for a ComputationGraph adapted by CoLoRA on its
 * convolutions and LoRA on its dense layers in one model, fc2 with alpha 1 by an alpha pattern.
 */
class MultiMethodGraphContractTest extends AdapterContract {

    private static final LoraConfig FC2 = LoraConfig.of(2, 1);

    @Override
    protected ContractFixture fixture() {
        return new ContractFixture("lora", MultiMethodFixtures.LORA, MultiMethodFixtures.registry(), MixedNets::graph,
                LayerSelector.byType(DenseLayer.class), MixedNets::graphData, MultiMethodFixtures.invalidConfigs());
    }

    @Override
    public PeftConfig.Builder adapterRules() {
        return MultiMethodFixtures.rules().alphaPattern(LayerSelector.byName("fc\\d"), 1.0);
    }

    @Override
    protected String expectedMethod(String layer) {
        return MultiMethodFixtures.method(layer);
    }

    @Override
    protected AdapterConfig expectedConfig(String layer) {
        return MultiMethodFixtures.isConvolution(layer) ? MultiMethodFixtures.COLORA
                : layer.equals("fc2") ? FC2 : MultiMethodFixtures.LORA;
    }
}
