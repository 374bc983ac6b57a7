package org.peft4j.spi;

import java.util.Collections;
import java.util.List;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.regularization.Regularization;

/**
 * The freezing rules shared by every adapted layer configuration. A frozen key gets the
 * {@link NoOp} updater and no regularisation; together with a gradient view that the runtime
 * layer never writes (it stays zero), this keeps the key's values bit-identical through
 * {@code fit} (measured: NoOp alone is not enough, it passes a raw gradient through).
 */
public final class FrozenKeys {

    private FrozenKeys() {
    }

    /** The updater for {@code key}: NoOp when frozen, else {@code trainable}. */
    public static IUpdater updater(AdaptedLayer layer, String key, IUpdater trainable) {
        return layer.frozenKeys().contains(key) ? new NoOp() : trainable;
    }

    /** The regularisation for {@code key}: none when frozen or exempt ({@link AdaptedLayer#unregularizedKeys()}), else {@code trainable}. */
    public static List<Regularization> regularization(AdaptedLayer layer, String key,
            List<Regularization> trainable) {
        return layer.unregularizedKeys().contains(key) ? Collections.emptyList() : trainable;
    }

    /** True when {@code layer} is an adapted layer and {@code key} one of its frozen keys. */
    public static boolean isFrozen(Layer layer, String key) {
        return layer instanceof AdaptedLayer adapted && adapted.frozenKeys().contains(key);
    }
}
