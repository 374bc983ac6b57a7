package org.peft4j;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.Cnn3DLossLayer;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.RnnLossLayer;
import org.peft4j.network.LayerSlot;
import org.peft4j.network.NetworkKind;
import org.peft4j.spi.WeightShape;

/**
 * What {@code PeftConfig.newOutput(n)} replaces. When the network's single output layer has parameters (an
 * {@code OutputLayer}, ...), that layer, with {@code nOut = n}. When it has none (a {@code LossLayer}, as in Keras
 * imports and DL4J's zoo SqueezeNet), the weight layer ({@code DenseLayer}, {@code OutputLayer} or a convolution)
 * that feeds it through parameter-free layers that keep the class axis ({@code LossLayer}, {@code ActivationLayer},
 * {@code DropoutLayer}, {@code GlobalPoolingLayer} and the CNN/RNN loss layers): that layer gets {@code nOut = n},
 * and the tail layers that record a width get {@code n} too. Any other network is refused, naming the layers.
 *
 * @param name   the layer that becomes the new, freshly initialised head
 * @param layers the new configuration of the head and of the layers after it, by name
 */
record ClassifierHead(String name, Map<String, Layer> layers) {

    private static final List<Class<? extends Layer>> CLASS_PRESERVING = List.of(LossLayer.class, CnnLossLayer.class,
            Cnn3DLossLayer.class, RnnLossLayer.class, ActivationLayer.class, DropoutLayer.class,
            GlobalPoolingLayer.class);

    /** The head of {@code network} for {@code classes} classes. */
    static <N extends Model> ClassifierHead of(NetworkKind<N> kind, N network, List<LayerSlot> slots, int classes) {
        Map<String, LayerSlot> byName = new LinkedHashMap<>();
        slots.forEach(s -> byName.put(s.name(), s));
        List<String> outputs = kind.outputLayers(network);
        if (outputs.size() != 1 || !byName.containsKey(outputs.get(0))) {
            throw new IllegalArgumentException("newOutput(" + classes + ") needs a network with one output layer; "
                    + "this one has outputs " + outputs);
        }
        LayerSlot output = byName.get(outputs.get(0));
        if (output.numParams() > 0) {
            return new ClassifierHead(output.name(), Map.of(output.name(), widened(output, classes)));
        }
        List<LayerSlot> tail = new ArrayList<>();
        LayerSlot current = output;
        while (current.numParams() == 0) {
            if (!isClassPreserving(FrozenWrappers.unwrap(current.config()))) {
                throw refused(classes, output, tail, current, "which does not keep the class axis");
            }
            tail.add(current);
            Optional<String> input = kind.directLayerInput(network, current.name());
            if (input.isEmpty()) {
                throw refused(classes, output, tail, current, "whose input is not a single layer feeding it directly");
            }
            current = byName.get(input.get());
        }
        if (WeightShape.of(FrozenWrappers.unwrap(current.config())).isEmpty()) {
            throw refused(classes, output, tail, current, "which is not a DenseLayer, OutputLayer or convolution");
        }
        Map<String, Layer> layers = new LinkedHashMap<>();
        layers.put(current.name(), widened(current, classes));
        tail.forEach(slot -> layers.put(slot.name(), widened(slot, classes)));
        return new ClassifierHead(current.name(), layers);
    }

    /**
     * The layer {@code newOutput} would replace in {@code network} (its output layer, or the weight layer feeding a
     * parameter-free output layer), or empty when there is none to find; what adapter files record as the head.
     */
    static <N extends Model> Optional<String> headName(NetworkKind<N> kind, N network, List<LayerSlot> slots) {
        try {
            return Optional.of(of(kind, network, slots, 1).name());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** A clone of the slot's unfrozen configuration with its recorded widths set to {@code classes}. */
    private static Layer widened(LayerSlot slot, int classes) {
        Layer config = FrozenWrappers.unwrap(slot.config()).clone();
        if (!(config instanceof FeedForwardLayer layer)) {
            if (slot.numParams() > 0) {
                throw new IllegalArgumentException("newOutput(" + classes + "): output layer '" + slot.name() + "' ("
                        + config.getClass().getSimpleName() + ") has no nOut to replace");
            }
            return config;
        }
        if (slot.numParams() > 0 || layer.getNOut() > 0) {
            layer.setNOut(classes);
        }
        if (slot.numParams() == 0 && layer.getNIn() > 0) {
            layer.setNIn(classes);
        }
        return layer;
    }

    private static boolean isClassPreserving(Layer config) {
        return CLASS_PRESERVING.contains(config.getClass());
    }

    private static IllegalArgumentException refused(int classes, LayerSlot output, List<LayerSlot> tail,
            LayerSlot stop, String why) {
        List<LayerSlot> path = new ArrayList<>(tail);
        if (!path.contains(stop)) {
            path.add(stop);
        }
        String walked = path.stream().map(s -> "'" + s.name() + "' (" + FrozenWrappers.unwrap(s.config()).getClass().getSimpleName()
                + ")").collect(Collectors.joining(" <- "));
        return new IllegalArgumentException("newOutput(" + classes + ") cannot find the layer to replace: output layer '"
                + output.name() + "' (" + FrozenWrappers.unwrap(output.config()).getClass().getSimpleName() + ") has no parameters, "
                + "and the way back from it, " + walked + ", reaches '" + stop.name() + "', " + why + ". newOutput "
                + "replaces the last DenseLayer, OutputLayer or convolution when only "
                + CLASS_PRESERVING.stream().map(Class::getSimpleName).collect(Collectors.joining(", "))
                + " follow it; otherwise replace the head yourself before Peft.apply");
    }
}
