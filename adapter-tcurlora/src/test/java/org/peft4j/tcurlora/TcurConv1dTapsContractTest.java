package org.peft4j.tcurlora;

import org.peft4j.LayerSelector;
import org.peft4j.testkit.AdapterContract;
import org.peft4j.testkit.ContractFixture;

/**
 * The adapter contract for {@code tcurlora} in taps mode on 1D convolutions: every layer on its own, one slice
 * [4, C_in] per kernel tap, so the core gradient goes through the shifted taps kernel (rank 2).
 */
class TcurConv1dTapsContractTest extends AdapterContract {

    @Override
    protected ContractFixture fixture() {
        return new ContractFixture("tcurlora", new TcurloraConfig(2, TcurloraConfig.Mode.TAPS, TcurloraConfig.Fallback.NONE),
                TcurFixtures.registry(), TcurFixtures::conv1d, LayerSelector.byName("k[012]"), TcurFixtures::conv1dData,
                TcurFixtures.invalidConfigs());
    }
}
