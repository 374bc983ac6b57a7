package org.peft4j.lora;

import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.peft4j.LayerSelector;
import org.peft4j.testkit.AdapterContract;
import org.peft4j.testkit.ContractFixture;

/** The adapter contract for {@code lora} on a ComputationGraph, adapting both dense branches (Gaussian init). */
class LoraGraphContractTest extends AdapterContract {

    @Override
    protected ContractFixture fixture() {
        return new ContractFixture("lora", new LoraConfig(2, 4, 0.0, LoraInit.GAUSSIAN),
                LoraFixtures.registry(), LoraFixtures::graph, LayerSelector.byType(DenseLayer.class),
                LoraFixtures::data, LoraFixtures.invalidConfigs());
    }
}
