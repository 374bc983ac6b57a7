package org.peft4j.bench.spark;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

/**
 * The pretrained network as {@link ModelSerializer} bytes (configuration, parameters and updater state, as in a model
 * file), broadcast once to the executors; each run restores its own copy, so two runs on one executor share nothing
 * mutable.
 */
final class ShippedNetwork implements Serializable {

    private static final long serialVersionUID = 1L;

    private final boolean graph;
    private final byte[] modelFile;

    private ShippedNetwork(boolean graph, byte[] modelFile) {
        this.graph = graph;
        this.modelFile = modelFile;
    }

    /** {@code network} written as a model file in memory. */
    static ShippedNetwork of(Model network) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ModelSerializer.writeModel(network, bytes, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the pretrained network for the executors", e);
        }
        return new ShippedNetwork(network instanceof ComputationGraph, bytes.toByteArray());
    }

    /** A new copy of the network, equal to the driver's in configuration, parameters and updater state. */
    Model restore() {
        try {
            return graph ? ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(modelFile), true)
                    : ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(modelFile), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restore the pretrained network the driver broadcast", e);
        }
    }

    /** Size of the model file in bytes. */
    int bytes() {
        return modelFile.length;
    }
}
