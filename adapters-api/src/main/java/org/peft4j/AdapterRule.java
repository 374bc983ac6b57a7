package org.peft4j;

import java.util.Objects;
import java.util.Optional;
import org.peft4j.spi.AdapterConfig;

/**
 * One rule of a {@link PeftConfig}: adapt the layers {@code targets} selects with {@code method}. A layer
 * may be matched by one rule only; every rule must match at least one layer.
 *
 * @param targets the layers to adapt
 * @param method  a registered adapter method, e.g. {@code lora} or {@code colora}
 * @param config  the method's hyper-parameters; empty means the method's default
 */
public record AdapterRule(LayerSelector targets, String method, Optional<AdapterConfig> config) {

    public AdapterRule {
        Objects.requireNonNull(targets, "targets");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(config, "config");
    }

    /** E.g. {@code lora on name ~ /fc\d/}, for error messages. */
    public String describe() {
        return method + config.map(c -> " " + c).orElse("") + " on " + targets.describe();
    }

    @Override
    public String toString() {
        return describe();
    }
}
