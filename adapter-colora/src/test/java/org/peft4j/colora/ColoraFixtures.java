package org.peft4j.colora;

import java.util.List;
import java.util.function.Supplier;
import org.peft4j.AdapterRegistry;
import org.peft4j.spi.AdapterConfig;

/** The registry and invalid configurations for the CoLoRA tests (networks: {@code org.peft4j.testkit.ConvNets}). */
final class ColoraFixtures {

    private ColoraFixtures() {
    }

    static AdapterRegistry registry() {
        return AdapterRegistry.of(new ColoraMethod());
    }

    static List<Supplier<AdapterConfig>> invalidConfigs() {
        return List.of(() -> new ColoraConfig(0), () -> new ColoraConfig(-1), () -> new ColoraConfig(Double.NaN),
                () -> new ColoraConfig(Double.POSITIVE_INFINITY));
    }
}
