package org.peft4j.lora;

import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.peft4j.AdapterRegistry;
import org.peft4j.LayerSelector;
import org.peft4j.testkit.AdapterContract;
import org.peft4j.testkit.ContractFixture;
import org.peft4j.testkit.ConvNets;

/** The adapter contract for {@code lora-conv}: NCHW MultiLayerNetwork, Same and strided Truncate, with and without bias. */
class LoraConvMultiLayer2dContractTest extends AdapterContract {

    @Override
    protected ContractFixture fixture() {
        return new ContractFixture("lora-conv", LoraConfig.of(2, 4), AdapterRegistry.of(new LoraConvMethod()),
                ConvNets::mln2d, LayerSelector.byType(ConvolutionLayer.class), ConvNets::mln2dData,
                LoraFixtures.invalidConfigs());
    }
}
