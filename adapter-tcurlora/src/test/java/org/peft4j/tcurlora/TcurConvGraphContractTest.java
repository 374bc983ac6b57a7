package org.peft4j.tcurlora;

import org.peft4j.LayerSelector;
import org.peft4j.testkit.AdapterContract;
import org.peft4j.testkit.ContractFixture;

/**
 * The adapter contract for {@code tcurlora} on a ComputationGraph: two equal convolutions with different
 * geometries (Same; stride 2 Truncate without bias) in one group, plus the first convolution on its own
 * in taps mode (fallback AUTO).
 */
class TcurConvGraphContractTest extends AdapterContract {

    @Override
    protected ContractFixture fixture() {
        return new ContractFixture("tcurlora",
                new TcurloraConfig(2, TcurloraConfig.Mode.GROUP, TcurloraConfig.Fallback.AUTO), TcurFixtures.registry(),
                TcurFixtures::convGraph, LayerSelector.byName("c[012]"), TcurFixtures::convGraphData,
                TcurFixtures.invalidConfigs());
    }
}
