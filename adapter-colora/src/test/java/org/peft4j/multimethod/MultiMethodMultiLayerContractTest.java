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
 * The adapter contract (with the lifecycle contract) for a MultiLayerNetwork adapted by CoLoRA on its
 * convolutions and LoRA on its dense layers in one model, fc1 with rank 3 by a rank pattern.
 */
class MultiMethodMultiLayerContractTest extends AdapterContract {

    private static final LoraConfig FC1 = LoraConfig.of(3, 4);

    @Override
    protected ContractFixture fixture() {
        return new ContractFixture("lora", MultiMethodFixtures.LORA, MultiMethodFixtures.registry(), MixedNets::mln,
                LayerSelector.byType(DenseLayer.class), MixedNets::mlnData, MultiMethodFixtures.invalidConfigs());
    }

    @Override
    public PeftConfig.Builder adapterRules() {
        return MultiMethodFixtures.rules().rankPattern(LayerSelector.names("fc1"), 3);
    }

    @Override
    protected String expectedMethod(String layer) {
        return MultiMethodFixtures.method(layer);
    }

    @Override
    protected AdapterConfig expectedConfig(String layer) {
        return MultiMethodFixtures.isConvolution(layer) ? MultiMethodFixtures.COLORA
                : layer.equals("fc1") ? FC1 : MultiMethodFixtures.LORA;
    }
}
