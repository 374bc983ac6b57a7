package org.peft4j.colora3d;

import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.peft4j.LayerSelector;
import org.peft4j.testkit.AdapterContract;
import org.peft4j.testkit.ContractFixture;

/** The adapter contract for {@code colora3d} on an NCDHW MultiLayerNetwork, adapting both convolutions (one without bias). */
class Colora3dMultiLayerContractTest extends AdapterContract {

    @Override
    protected ContractFixture fixture() {
        return new ContractFixture("colora3d", Colora3dConfig.DEFAULT, Colora3dFixtures.registry(),
                Colora3dFixtures::mlp, LayerSelector.byType(Convolution3D.class), Colora3dFixtures::ncdhwData,
                Colora3dFixtures.invalidConfigs());
    }
}
