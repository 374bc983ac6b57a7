package org.peft4j;

import java.util.Objects;
import org.peft4j.spi.AdapterConfig;

/**
 * How one layer of a {@link PeftModel} is adapted ({@link PeftModel#layerMethods()}).
 *
 * @param method the adapter method's name, e.g. {@code lora}
 * @param config its hyper-parameters for this layer, after any rank or alpha pattern
 */
public record MethodAndConfig(String method, AdapterConfig config) {

    public MethodAndConfig {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(config, "config");
    }

    @Override
    public String toString() {
        return method + " " + config;
    }
}
