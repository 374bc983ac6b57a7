package org.peft4j.colora;

import org.peft4j.LayerSelector;
import org.peft4j.testkit.AdapterContract;
import org.peft4j.testkit.ContractFixture;
import org.peft4j.testkit.ConvNets;

/** The adapter contract for {@code colora}: NHWC ComputationGraph, dilated Same and padded Truncate. */
class ColoraGraph2dContractTest extends AdapterContract {

    @Override
    protected ContractFixture fixture() {
        return new ContractFixture("colora", new ColoraConfig(0.5), ColoraFixtures.registry(),
                ConvNets::graph2d, LayerSelector.names("a", "b"), ConvNets::graph2dData,
                ColoraFixtures.invalidConfigs());
    }
}
