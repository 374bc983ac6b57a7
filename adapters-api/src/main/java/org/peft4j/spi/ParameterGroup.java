package org.peft4j.spi;

import java.io.Serializable;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * Membership of an adapted layer in a group of layers that share trainable tensors (tCURLoRA's
 * core {@code dU} of a stack of equal-shape weights; a pool of projections shared by several
 * layers). It is part of every member's layer configuration, so it travels with the network's
 * JSON, {@code ModelSerializer} files and {@code clone()}.
 *
 * <p>The shared tensors are ordinary parameters of ONE member, the {@linkplain #owner() owner}: the
 * member earliest in network order (topological order for a ComputationGraph). The updater, the
 * flat parameter array, serialisation and adapter files therefore see them once. At run time the
 * members find each other through {@link org.peft4j.layers.SharedGroup}.
 *
 * @param id      the group's name, unique within the network (e.g. the owner's layer name)
 * @param members the member layer names in network order; the first is the owner
 */
public record ParameterGroup(String id, List<String> members) implements Serializable {

    public ParameterGroup {
        Objects.requireNonNull(id, "id");
        if (id.isBlank()) {
            throw new IllegalArgumentException("parameter group id must not be blank");
        }
        members = List.copyOf(members);
        if (members.isEmpty()) {
            throw new IllegalArgumentException("parameter group '" + id + "' has no members");
        }
        if (new HashSet<>(members).size() != members.size()) {
            throw new IllegalArgumentException("parameter group '" + id + "' lists a member twice: " + members);
        }
    }

    /** The member that holds the shared parameters: the first in network order. */
    public String owner() {
        return members.get(0);
    }

    /** True when {@code layer} holds the shared parameters. */
    public boolean isOwner(String layer) {
        return owner().equals(layer);
    }

    /** Position of {@code layer} in the group. */
    public int indexOf(String layer) {
        int index = members.indexOf(layer);
        if (index < 0) {
            throw new IllegalArgumentException("layer '" + layer + "' is not a member of parameter group '" + id
                    + "' " + members);
        }
        return index;
    }
}
