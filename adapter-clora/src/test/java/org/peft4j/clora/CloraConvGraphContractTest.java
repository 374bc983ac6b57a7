package org.peft4j.clora;

import org.peft4j.LayerSelector;
import org.peft4j.testkit.AdapterContract;
import org.peft4j.testkit.ContractFixture;

/** The adapter contract for {@code clora} (SADE on): NHWC ComputationGraph, dilated Same and padded Truncate. */
class CloraConvGraphContractTest extends AdapterContract {

    @Override
    protected ContractFixture fixture() {
        return new ContractFixture("clora", new CloraConfig(1, 3, 1.0, 0.3), CloraFixtures.registry(), CloraFixtures::cnnGraph,
                LayerSelector.names("a", "b", "c"), CloraFixtures::cnnGraphData, CloraFixtures.invalidConfigs());
    }
}
