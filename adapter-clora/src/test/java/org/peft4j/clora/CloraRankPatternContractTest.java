package org.peft4j.clora;

import org.peft4j.LayerSelector;
import org.peft4j.PeftConfig;
import org.peft4j.spi.AdapterConfig;
import org.peft4j.testkit.AdapterContract;
import org.peft4j.testkit.ContractFixture;

/**
 * The adapter contract for {@code clora} with a rank pattern: d3 gets rank 1, so it is planned apart from d1 and
 * d2 and leaves the {@code nIn=8} down pool it would share with d2; both plans name that pool alike, and the
 * second one's id is made unique ({@code ...@d3}). Training, merging, gradients and adapter files must all work.
 */
class CloraRankPatternContractTest extends AdapterContract {

    private static final CloraConfig CONFIG = new CloraConfig(2, 2, 2.0, 1.0);

    @Override
    protected ContractFixture fixture() {
        return new ContractFixture("clora", CONFIG, CloraFixtures.registry(), CloraFixtures::mlp,
                LayerSelector.names("d1", "d2", "d3"), CloraFixtures::denseData, CloraFixtures.invalidConfigs());
    }

    @Override
    public PeftConfig.Builder adapterRules() {
        return super.adapterRules().rankPattern(LayerSelector.names("d3"), 1);
    }

    @Override
    protected AdapterConfig expectedConfig(String layer) {
        return layer.equals("d3") ? new CloraConfig(1, 2, 2.0, 1.0) : CONFIG;
    }
}
