package org.peft4j.colora3d;

import org.peft4j.LayerSelector;
import org.peft4j.testkit.AdapterContract;
import org.peft4j.testkit.ContractFixture;

/** The adapter contract for {@code colora3d} on an NDHWC ComputationGraph (Strict and strided Same convolutions, Glorot-normal Kp). */
class Colora3dGraphContractTest extends AdapterContract {

    @Override
    protected ContractFixture fixture() {
        return new ContractFixture("colora3d", new Colora3dConfig(PointwiseInit.GLOROT_NORMAL, 0.5),
                Colora3dFixtures.registry(), Colora3dFixtures::graph, LayerSelector.names("a", "b"),
                Colora3dFixtures::ndhwcData, Colora3dFixtures.invalidConfigs());
    }
}
