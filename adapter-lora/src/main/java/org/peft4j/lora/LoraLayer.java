package org.peft4j.lora;

import java.util.List;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.peft4j.spi.AdapterConfig;
import org.peft4j.spi.AdaptedLayer;

/**
 * What the LoRA parameter initialiser and runtime need from a LoRA layer configuration
 * ({@link LoraDenseLayer}, {@link LoraOutputLayer}). Parameters, in this order in the flat view:
 * <ul>
 *   <li>{@code W} [nIn, nOut] frozen, DL4J's dense layout ('f' order)</li>
 *   <li>{@code b} [nOut] frozen (only when the layer has a bias)</li>
 *   <li>{@code A} [nIn, r] trainable, drawn by {@link LoraInit}</li>
 *   <li>{@code B} [r, nOut] trainable, zero at init</li>
 * </ul>
 */
public interface LoraLayer extends AdaptedLayer {

    String WEIGHT = "W";
    String BIAS = "b";
    String A = "A";
    String B = "B";

    LoraConfig getLora();

    long getNIn();

    long getNOut();

    boolean hasBias();

    IWeightInit getWeightInitFn();

    double getBiasInit();

    @Override
    default String methodName() {
        return LoraMethod.NAME;
    }

    @Override
    default AdapterConfig adapterConfig() {
        return getLora();
    }

    @Override
    default List<String> frozenKeys() {
        return hasBias() ? List.of(WEIGHT, BIAS) : List.of(WEIGHT);
    }

    @Override
    default List<String> adapterKeys() {
        return List.of(A, B);
    }
}
