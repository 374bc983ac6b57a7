package org.peft4j.clora;

import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.peft4j.LayerSelector;
import org.peft4j.testkit.AdapterContract;
import org.peft4j.testkit.ContractFixture;

/** The adapter contract for {@code clora} (SADE on): NCHW MultiLayerNetwork, Same and strided Truncate, with and without bias. */
class CloraConvMultiLayerContractTest extends AdapterContract {

    @Override
    protected ContractFixture fixture() {
        return new ContractFixture("clora", new CloraConfig(2, 2, 2.0, 0.5), CloraFixtures.registry(), CloraFixtures::cnn,
                LayerSelector.byType(ConvolutionLayer.class), CloraFixtures::cnnData, CloraFixtures.invalidConfigs());
    }
}
