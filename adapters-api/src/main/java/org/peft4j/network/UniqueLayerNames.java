package org.peft4j.network;

import com.google.common.collect.LinkedListMultimap;
import com.google.common.collect.ListMultimap;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Refuses a network whose layers share a name. peft4j addresses layers by name (targets, trainable
 * layers, copied parameters, adapter files), so two layers called {@code hidden} would have one's
 * pretrained weights copied into the other. DL4J lets a MultiLayerNetwork have such names (or none,
 * which counts as the same missing name); a ComputationGraph's vertex names are unique by construction.
 */
final class UniqueLayerNames {

    private UniqueLayerNames() {
    }

    /**
     * {@code slots}, when every layer has its own name.
     *
     * @throws IllegalArgumentException naming each shared name and the positions of its layers
     */
    static List<LayerSlot> require(List<LayerSlot> slots) {
        ListMultimap<String, Integer> positions = LinkedListMultimap.create();
        slots.forEach(slot -> positions.put(slot.name(), slot.index()));
        String clashes = positions.asMap().entrySet().stream()
                .filter(entry -> entry.getValue().size() > 1)
                .map(UniqueLayerNames::describe)
                .collect(Collectors.joining("; "));
        if (!clashes.isEmpty()) {
            throw new IllegalArgumentException("peft4j needs a unique name for every layer, but " + clashes
                    + "; give each layer its own name (e.g. .name(\"hidden2\") on its builder)");
        }
        return slots;
    }

    private static String describe(Map.Entry<String, Collection<Integer>> clash) {
        String name = clash.getKey() == null ? "no name" : "name '" + clash.getKey() + "'";
        return "layers " + clash.getValue() + " share the " + name;
    }
}
