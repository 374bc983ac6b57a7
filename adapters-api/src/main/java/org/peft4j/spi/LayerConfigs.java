package org.peft4j.spi;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.serde.JsonMappers;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * Converts DL4J layer configurations between related classes through DL4J's own JSON form, so
 * that every setting (activation, updater, init, dropout, constraints, ...) is carried over
 * without copying fields by hand. Properties the target class does not know are dropped.
 */
public final class LayerConfigs {

    private LayerConfigs() {
    }

    /**
     * A new configuration of class {@code type} with the settings of {@code from}.
     *
     * @param from a layer configuration, e.g. a {@code DenseLayer}
     * @param type a class that shares {@code from}'s settings, e.g. a subclass adding adapter fields
     */
    public static <T extends Layer> T convert(Layer from, Class<T> type) {
        ObjectMapper mapper = JsonMappers.getMapper();
        try {
            ObjectNode tree = mapper.valueToTree(from);
            tree.put("@class", type.getName());
            return type.cast(mapper.treeToValue(tree, Layer.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot convert layer '" + from.getLayerName() + "' ("
                    + from.getClass().getSimpleName() + ") to " + type.getSimpleName(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("cannot convert layer '" + from.getLayerName() + "' ("
                    + from.getClass().getSimpleName() + ") to " + type.getSimpleName(), e);
        }
    }
}
