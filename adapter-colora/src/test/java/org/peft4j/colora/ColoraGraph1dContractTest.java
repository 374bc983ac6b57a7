package org.peft4j.colora;

import static org.peft4j.colora.ColoraFixtures.BATCH;

import org.peft4j.LayerSelector;
import org.peft4j.testkit.AdapterContract;
import org.peft4j.testkit.ContractFixture;

/** The adapter contract for {@code colora}: NWC ComputationGraph, dilated padded Truncate and Same. */
class ColoraGraph1dContractTest extends AdapterContract {

    @Override
    protected ContractFixture fixture() {
        return new ContractFixture("colora", new ColoraConfig(2.0), ColoraFixtures.registry(),
                ColoraFixtures::graph1d, LayerSelector.names("a", "b"), type -> ColoraFixtures.data(type, BATCH, 8, 2),
                ColoraFixtures.invalidConfigs());
    }
}
