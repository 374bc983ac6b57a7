package org.peft4j.spi;

import java.util.Objects;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * A layer chosen for adaptation.
 *
 * @param name   the layer's name in the network
 * @param index  its position in network order (topological order for a ComputationGraph)
 * @param config its DL4J configuration, with nIn/nOut inferred; the method must not modify it
 */
public record TargetLayer(String name, int index, Layer config) {
    public TargetLayer {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(config, "config");
    }
}
