package org.peft4j.bench.model;

import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.peft4j.LayerSelector;
import org.peft4j.bench.train.InputSpec;
import org.peft4j.spi.AdapterMethod;

/**
 * The user's own network, restored from a model file, as a {@link Backbone}: its output layer is the last layer
 * (a graph's single output), the layer feeding it is the feature boundary, it has no other head layers, and an
 * adapter method targets by default every weight layer but the output that it can adapt.
 */
public final class ModelFileBackbone implements Backbone {

    private final Path file;
    private final Model network;
    private final InputSpec input;
    private final AdapterMethod<?> method;

    /**
     * @param network the network restored from {@code file}, handed out by {@link #create} as it is
     * @param input   what the network expects
     * @param method  the adapter method, for the default targets
     */
    public ModelFileBackbone(Path file, Model network, InputSpec input, AdapterMethod<?> method) {
        this.file = file;
        this.network = network;
        this.input = input;
        this.method = method;
    }

    @Override
    public String name() {
        return file.getFileName().toString();
    }

    @Override
    public InputSpec input() {
        return input;
    }

    /** The network from the file; the training copies it and draws a new output layer from {@code seed}. */
    @Override
    public Model create(int classes, long seed) {
        return network;
    }

    @Override
    public String featureBoundary() {
        if (network instanceof MultiLayerNetwork net) {
            return layerName(net, net.getnLayers() - 2);
        }
        ComputationGraph graph = (ComputationGraph) network;
        return graph.getConfiguration().getVertexInputs().get(outputLayer()).get(0);
    }

    @Override
    public List<String> headLayers() {
        return List.of();
    }

    @Override
    public String outputLayer() {
        if (network instanceof MultiLayerNetwork net) {
            return layerName(net, net.getnLayers() - 1);
        }
        return ((ComputationGraph) network).getConfiguration().getNetworkOutputs().get(0);
    }

    @Override
    public LayerSelector defaultTargets() {
        String output = outputLayer();
        return new LayerSelector() {
            @Override
            public boolean matches(String name, Layer config) {
                return !name.equals(output) && config instanceof BaseLayer && method.unsupportedReason(config).isEmpty();
            }

            @Override
            public String describe() {
                return "every layer but the output that '" + method.name() + "' can adapt";
            }
        };
    }

    @Override
    public String describe() {
        return file + " (" + network.getClass().getSimpleName() + ", " + input.channels() + "x" + input.size() + "x"
                + input.size() + ", " + network.numParams() + " parameters)";
    }

    private static String layerName(MultiLayerNetwork net, int index) {
        return net.getLayer(index).conf().getLayer().getLayerName();
    }
}
