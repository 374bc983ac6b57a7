package org.peft4j.tcurlora;

import org.peft4j.LayerSelector;
import org.peft4j.testkit.AdapterContract;
import org.peft4j.testkit.ContractFixture;

/** The adapter contract for {@code tcurlora} on a MultiLayerNetwork: two equal dense layers, one core [2, 2, 2]. */
class TcurDenseMultiLayerContractTest extends AdapterContract {

    @Override
    protected ContractFixture fixture() {
        return new ContractFixture("tcurlora", TcurloraConfig.of(2), TcurFixtures.registry(), TcurFixtures::mlp,
                LayerSelector.byName("d[12]"), TcurFixtures::mlpData, TcurFixtures.invalidConfigs());
    }
}
