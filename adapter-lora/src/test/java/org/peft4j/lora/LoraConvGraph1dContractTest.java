package org.peft4j.lora;

import org.peft4j.AdapterRegistry;
import org.peft4j.LayerSelector;
import org.peft4j.testkit.AdapterContract;
import org.peft4j.testkit.ContractFixture;
import org.peft4j.testkit.ConvNets;

/** The adapter contract for {@code lora-conv}: NWC ComputationGraph of 1D convolutions (Gaussian init). */
class LoraConvGraph1dContractTest extends AdapterContract {

    @Override
    protected ContractFixture fixture() {
        return new ContractFixture("lora-conv", new LoraConfig(3, 6, 0.0, LoraInit.GAUSSIAN),
                AdapterRegistry.of(new LoraConvMethod()), ConvNets::graph1d, LayerSelector.names("a", "b"),
                ConvNets::graph1dData, LoraFixtures.invalidConfigs());
    }
}
