package org.peft4j.tcurlora;

import org.peft4j.LayerSelector;
import org.peft4j.testkit.AdapterContract;
import org.peft4j.testkit.ContractFixture;

/** The adapter contract for {@code tcurlora} on 1D convolutions (DL4J's 1D weight layout): a group of two (Same, Causal). */
class TcurConv1dContractTest extends AdapterContract {

    @Override
    protected ContractFixture fixture() {
        return new ContractFixture("tcurlora", TcurloraConfig.of(3), TcurFixtures.registry(), TcurFixtures::conv1d,
                LayerSelector.byName("k[12]"), TcurFixtures::conv1dData, TcurFixtures.invalidConfigs());
    }
}
