package org.peft4j.bench.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.peft4j.LayerSelector;
import org.peft4j.network.LayerSlot;
import org.peft4j.network.NetworkKind;

/**
 * Copies pretrained parameters into chosen layers of another network: by layer name when the
 * source has every chosen name (Keras-style names such as {@code block1_conv1}), otherwise
 * position by position among the source's layers of the same configuration type (the DL4J zoo
 * names its VGG16 layers {@code 0, 1, 2, ...}).
 */
final class PretrainedLayers {

    private PretrainedLayers() {
    }

    /**
     * @param source names the source in error messages
     * @return "target <- source" for each copied layer
     * @throws IllegalArgumentException naming the layer when the source lacks it or a shape differs
     */
    static List<String> copy(Model from, Model into, LayerSelector selector, String source) {
        List<LayerSlot> sourceLayers = layers(from);
        List<LayerSlot> targets = layers(into).stream().filter(s -> selector.matches(s.name(), s.config())).toList();
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("no layer of the network matches " + selector.describe());
        }
        Map<String, LayerSlot> byName = new HashMap<>();
        sourceLayers.forEach(s -> byName.put(s.name(), s));
        boolean named = targets.stream().allMatch(t -> byName.containsKey(t.name()));
        List<LayerSlot> origins = new ArrayList<>();
        if (named) {
            targets.forEach(t -> origins.add(byName.get(t.name())));
        } else {
            Class<?> type = targets.get(0).config().getClass();
            List<LayerSlot> sameType = sourceLayers.stream().filter(s -> s.config().getClass() == type).toList();
            if (sameType.size() < targets.size()) {
                throw new IllegalArgumentException(source + " has neither the layer names " + targets.stream()
                        .map(LayerSlot::name).toList() + " nor " + targets.size() + " " + type.getSimpleName()
                        + " layers to copy in order (it has " + sameType.size() + ")");
            }
            origins.addAll(sameType.subList(0, targets.size()));
        }
        List<String> copied = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            copyParams(origins.get(i), targets.get(i), source);
            copied.add(targets.get(i).name() + " <- " + origins.get(i).name());
        }
        return copied;
    }

    private static void copyParams(LayerSlot origin, LayerSlot target, String source) {
        Map<String, INDArray> values = origin.runtime().paramTable();
        for (Map.Entry<String, INDArray> param : target.runtime().paramTable().entrySet()) {
            INDArray value = values.get(param.getKey());
            if (value == null || !Arrays.equals(value.shape(), param.getValue().shape())) {
                throw new IllegalArgumentException(source + ": layer '" + origin.name() + "' parameter "
                        + param.getKey() + " is " + (value == null ? "absent" : Arrays.toString(value.shape()))
                        + " there but layer '" + target.name() + "' needs " + Arrays.toString(param.getValue().shape()));
            }
            param.getValue().assign(value.castTo(param.getValue().dataType()));
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static List<LayerSlot> layers(Model network) {
        return ((NetworkKind) NetworkKind.of(network)).layers(network);
    }
}
