package org.peft4j.colora;

import static org.peft4j.colora.ColoraFixtures.BATCH;

import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.peft4j.LayerSelector;
import org.peft4j.testkit.AdapterContract;
import org.peft4j.testkit.ContractFixture;

/** The adapter contract for {@code colora}: NCW MultiLayerNetwork, Causal and strided Same, with and without bias. */
class ColoraMultiLayer1dContractTest extends AdapterContract {

    @Override
    protected ContractFixture fixture() {
        return new ContractFixture("colora", new ColoraConfig(1.0), ColoraFixtures.registry(),
                ColoraFixtures::mln1d, LayerSelector.byType(Convolution1DLayer.class), type -> ColoraFixtures.data(type, BATCH, 3, 9),
                ColoraFixtures.invalidConfigs());
    }
}
