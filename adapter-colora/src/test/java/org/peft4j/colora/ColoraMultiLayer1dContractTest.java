package org.peft4j.colora;

import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.peft4j.LayerSelector;
import org.peft4j.testkit.AdapterContract;
import org.peft4j.testkit.ContractFixture;
import org.peft4j.testkit.ConvNets;

/** The adapter contract for {@code colora}: NCW MultiLayerNetwork, Causal and strided Same, with and without bias. */
class ColoraMultiLayer1dContractTest extends AdapterContract {

    @Override
    protected ContractFixture fixture() {
        return new ContractFixture("colora", new ColoraConfig(1.0), ColoraFixtures.registry(),
                ConvNets::mln1d, LayerSelector.byType(Convolution1DLayer.class), ConvNets::mln1dData,
                ColoraFixtures.invalidConfigs());
    }
}
