package org.peft4j.tcurlora;

import org.peft4j.LayerSelector;
import org.peft4j.testkit.AdapterContract;
import org.peft4j.testkit.ContractFixture;

/**
 * The adapter contract for {@code tcurlora} on 3D convolutions: v1, v2 in one group, v0 on its own in taps
 * mode (fallback TAPS; [3, 2] per tap, rank 2).
 */
class TcurConv3dContractTest extends AdapterContract {

    @Override
    protected ContractFixture fixture() {
        return new ContractFixture("tcurlora", new TcurloraConfig(2, TcurloraConfig.Mode.GROUP,
                TcurloraConfig.Fallback.TAPS), TcurFixtures.registry(), TcurFixtures::conv3d,
                LayerSelector.byName("v[012]"), TcurFixtures::conv3dData, TcurFixtures.invalidConfigs());
    }
}
