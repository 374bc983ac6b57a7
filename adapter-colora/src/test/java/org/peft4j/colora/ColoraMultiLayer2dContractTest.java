package org.peft4j.colora;

import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.peft4j.LayerSelector;
import org.peft4j.testkit.AdapterContract;
import org.peft4j.testkit.ContractFixture;
import org.peft4j.testkit.ConvNets;

/** The adapter contract for {@code colora}: NCHW MultiLayerNetwork, Same and strided Truncate, with and without bias. */
class ColoraMultiLayer2dContractTest extends AdapterContract {

    @Override
    protected ContractFixture fixture() {
        return new ContractFixture("colora", new ColoraConfig(1.0), ColoraFixtures.registry(),
                ConvNets::mln2d, LayerSelector.byType(ConvolutionLayer.class), ConvNets::mln2dData,
                ColoraFixtures.invalidConfigs());
    }
}
