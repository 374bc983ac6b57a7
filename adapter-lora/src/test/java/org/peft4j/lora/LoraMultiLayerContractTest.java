package org.peft4j.lora;

import org.peft4j.LayerSelector;
import org.peft4j.testkit.AdapterContract;
import org.peft4j.testkit.ContractFixture;

/** The adapter contract for {@code lora} on a MultiLayerNetwork, adapting a dense and the output layer. */
class LoraMultiLayerContractTest extends AdapterContract {

    @Override
    protected ContractFixture fixture() {
        return new ContractFixture("lora", new LoraConfig(3, 6, 0.0, LoraInit.KAIMING_UNIFORM),
                LoraFixtures.registry(), LoraFixtures::mlp, LayerSelector.names("dense1", "out"),
                LoraFixtures::data, LoraFixtures.invalidConfigs());
    }
}
