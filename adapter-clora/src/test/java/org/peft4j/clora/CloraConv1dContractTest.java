package org.peft4j.clora;

import org.peft4j.LayerSelector;
import org.peft4j.testkit.AdapterContract;
import org.peft4j.testkit.ContractFixture;

/**
 * The adapter contract for {@code clora} on 1D convolutions (DL4J's 1D weight layout), SADE on, so the kit's
 * double-precision gradient check covers task loss + lambda·SADE: NCW MultiLayerNetwork, Same, Causal and
 * strided Truncate, pools with different owners.
 */
class CloraConv1dContractTest extends AdapterContract {

    @Override
    protected ContractFixture fixture() {
        return new ContractFixture("clora", new CloraConfig(2, 2, 2.0, 0.5), CloraFixtures.registry(), CloraFixtures::conv1d,
                LayerSelector.byName("k[123]"), CloraFixtures::conv1dData, CloraFixtures.invalidConfigs());
    }
}
