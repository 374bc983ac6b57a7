package org.peft4j.spi;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * What every method has in common: a name, a configuration type and its default, and the layer classes it
 * adapts. A layer is adapted only when its class is exactly one of them (DL4J's subclasses, e.g. depthwise or
 * transposed convolutions, have other weight semantics), it has no weight noise on the frozen weight and, for a
 * dense layer, no layer normalisation.
 *
 * @param <C> the configuration record of the method
 */
public abstract class BaseAdapterMethod<C extends AdapterConfig> implements AdapterMethod<C> {

    private final String name;
    private final Class<C> configType;
    private final C defaultConfig;
    private final List<Class<? extends Layer>> layerTypes;

    protected BaseAdapterMethod(String name, Class<C> configType, C defaultConfig,
            List<Class<? extends Layer>> layerTypes) {
        this.name = name;
        this.configType = configType;
        this.defaultConfig = defaultConfig;
        this.layerTypes = List.copyOf(layerTypes);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final Class<C> configType() {
        return configType;
    }

    @Override
    public final C defaultConfig() {
        return defaultConfig;
    }

    @Override
    public Optional<String> unsupportedReason(Layer layer) {
        if (!layerTypes.contains(layer.getClass())) {
            return Optional.of(unsupportedType(layer));
        }
        if (layer instanceof BaseLayer base && base.getWeightNoise() != null) {
            return Optional.of("weight noise (e.g. DropConnect) on the frozen weight is not supported");
        }
        if (layer instanceof DenseLayer dense && dense.hasLayerNorm()) {
            return Optional.of("dense layers with layer normalisation (hasLayerNorm=true) are not supported");
        }
        return Optional.empty();
    }

    /** Why a layer whose class is not one of the method's is refused; by default, the classes it adapts. */
    protected String unsupportedType(Layer layer) {
        return name + " adapts " + layerTypes.stream().map(Class::getSimpleName).collect(Collectors.joining(", "))
                + ", not " + layer.getClass().getSimpleName();
    }
}
