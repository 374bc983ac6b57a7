package org.peft4j.network;

import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * One layer of a network as peft4j sees it.
 *
 * @param name    the layer name (a ComputationGraph vertex name, or the MultiLayerNetwork layer name)
 * @param index   position in network order (topological order for a graph)
 * @param config  the DL4J configuration
 * @param runtime the runtime layer holding the parameters
 */
public record LayerSlot(String name, int index, Layer config, org.deeplearning4j.nn.api.Layer runtime) {

    /** Number of parameters this layer holds. */
    public long numParams() {
        return runtime.numParams();
    }
}
