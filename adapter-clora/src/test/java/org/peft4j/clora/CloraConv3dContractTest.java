package org.peft4j.clora;

import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.peft4j.LayerSelector;
import org.peft4j.testkit.AdapterContract;
import org.peft4j.testkit.ContractFixture;

/**
 * The adapter contract for {@code clora} on 3D convolutions, SADE on, so the kit's double-precision gradient
 * check covers task loss + lambda·SADE: NCDHW MultiLayerNetwork, Same and strided Truncate, pools with
 * different owners.
 */
class CloraConv3dContractTest extends AdapterContract {

    @Override
    protected ContractFixture fixture() {
        return new ContractFixture("clora", new CloraConfig(1, 2, 1.0, 0.5), CloraFixtures.registry(),
                type -> CloraFixtures.conv3d(type, Convolution3D.DataFormat.NCDHW), LayerSelector.byName("v[123]"),
                type -> CloraFixtures.conv3dData(type, Convolution3D.DataFormat.NCDHW), CloraFixtures.invalidConfigs());
    }
}
