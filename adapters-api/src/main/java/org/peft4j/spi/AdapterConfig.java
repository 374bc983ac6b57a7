package org.peft4j.spi;

import java.io.Serializable;
import java.util.Optional;

/**
 * Hyper-parameters of one adapter method. Implementations are Java records that validate their
 * components in the compact constructor (bad values throw {@link IllegalArgumentException} naming
 * the component and the value) and that Jackson can write and read as JSON.
 *
 * <p>A method with a rank or a scale numerator ({@code alpha}) overrides {@link #withRank} and
 * {@link #withAlpha}, so that per-layer overrides ({@code PeftConfig.Builder.rankPattern},
 * {@code alphaPattern}) can apply to it; the defaults say the method has neither.
 *
 * <p>Configurations are also {@link Serializable}: DL4J's Spark training ships layer configurations to the
 * executors by Java serialization, so every component must be serializable too (numbers, strings, enums and
 * records of those are).
 */
public interface AdapterConfig extends Serializable {

    /**
     * This configuration with rank {@code rank} and every other setting unchanged, or empty when the
     * method has no rank.
     *
     * @throws IllegalArgumentException when {@code rank} is not valid for the method
     */
    default Optional<AdapterConfig> withRank(int rank) {
        return Optional.empty();
    }

    /**
     * This configuration with scale numerator {@code alpha} and every other setting unchanged (so the
     * update's scale, e.g. LoRA's {@code alpha / rank}, changes), or empty when the method has no alpha.
     *
     * @throws IllegalArgumentException when {@code alpha} is not valid for the method
     */
    default Optional<AdapterConfig> withAlpha(double alpha) {
        return Optional.empty();
    }
}
