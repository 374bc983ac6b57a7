package org.peft4j.colora;

import org.peft4j.LayerSelector;
import org.peft4j.testkit.AdapterContract;
import org.peft4j.testkit.ContractFixture;
import org.peft4j.testkit.ConvNets;

/** The adapter contract for {@code colora}: NWC ComputationGraph, dilated padded Truncate and Same. */
class ColoraGraph1dContractTest extends AdapterContract {

    @Override
    protected ContractFixture fixture() {
        return new ContractFixture("colora", new ColoraConfig(2.0), ColoraFixtures.registry(),
                ConvNets::graph1d, LayerSelector.names("a", "b"), ConvNets::graph1dData,
                ColoraFixtures.invalidConfigs());
    }
}
