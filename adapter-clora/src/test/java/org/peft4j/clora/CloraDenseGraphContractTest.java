package org.peft4j.clora;

import org.peft4j.LayerSelector;
import org.peft4j.testkit.AdapterContract;
import org.peft4j.testkit.ContractFixture;

/** The adapter contract for {@code clora} (SADE on): dense ComputationGraph, one pool of three layers. */
class CloraDenseGraphContractTest extends AdapterContract {

    @Override
    protected ContractFixture fixture() {
        return new ContractFixture("clora", new CloraConfig(2, 2, 2.0, 1.0), CloraFixtures.registry(), CloraFixtures::graph,
                LayerSelector.names("a", "b", "c"), CloraFixtures::denseData, CloraFixtures.invalidConfigs());
    }
}
