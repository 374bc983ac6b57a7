package org.peft4j.spi;

import java.util.List;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * The configuration side of an adapted layer: a DL4J layer configuration that keeps the wrapped
 * layer's frozen parameters under their DL4J keys ({@code W}, {@code b}, same shapes and layout)
 * and adds trainable adapter parameters under the method's own keys.
 *
 * <p>Frozen keys must get no updater ({@link org.nd4j.linalg.learning.config.NoOp}), no
 * regularisation and a gradient that is never written, so that their values stay bit-identical
 * through any {@code fit}; {@link FrozenKeys} implements those rules.
 */
public interface AdaptedLayer {

    /** Name of the {@link AdapterMethod} that made this layer. */
    String methodName();

    /** The hyper-parameters this layer was built with. */
    AdapterConfig adapterConfig();

    /**
     * A new, plain DL4J configuration of the wrapped layer (same type, name, shapes and settings),
     * used by merge-and-unload.
     */
    Layer baseLayer();

    /** Keys of the wrapped layer's own parameters, frozen here, e.g. {@code [W, b]}. */
    List<String> frozenKeys();

    /** Keys of the trainable adapter parameters, e.g. {@code [A, B]}. */
    List<String> adapterKeys();

    /**
     * Keys that get no regularisation (weight decay, L1, L2): the frozen keys, plus any trainable
     * key the method exempts (e.g. an adapter parameterised as a difference from its start value).
     */
    default List<String> unregularizedKeys() {
        return frozenKeys();
    }
}
