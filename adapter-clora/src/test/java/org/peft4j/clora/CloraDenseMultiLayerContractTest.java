package org.peft4j.clora;

import org.peft4j.LayerSelector;
import org.peft4j.testkit.AdapterContract;
import org.peft4j.testkit.ContractFixture;

/** The adapter contract for {@code clora} (SADE on): dense MultiLayerNetwork, pools with different owners. */
class CloraDenseMultiLayerContractTest extends AdapterContract {

    @Override
    protected ContractFixture fixture() {
        return new ContractFixture("clora", new CloraConfig(2, 3, 4.0, 0.5), CloraFixtures.registry(), CloraFixtures::mlp,
                LayerSelector.byName("d[123]"), CloraFixtures::denseData, CloraFixtures.invalidConfigs());
    }
}
