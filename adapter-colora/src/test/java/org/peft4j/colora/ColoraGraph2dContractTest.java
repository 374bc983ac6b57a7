package org.peft4j.colora;

import static org.peft4j.colora.ColoraFixtures.BATCH;

import org.peft4j.LayerSelector;
import org.peft4j.testkit.AdapterContract;
import org.peft4j.testkit.ContractFixture;

/** The adapter contract for {@code colora}: NHWC ComputationGraph, dilated Same and padded Truncate. */
class ColoraGraph2dContractTest extends AdapterContract {

    @Override
    protected ContractFixture fixture() {
        return new ContractFixture("colora", new ColoraConfig(0.5), ColoraFixtures.registry(),
                ColoraFixtures::graph2d, LayerSelector.names("a", "b"), type -> ColoraFixtures.data(type, BATCH, 6, 6, 3),
                ColoraFixtures.invalidConfigs());
    }
}
