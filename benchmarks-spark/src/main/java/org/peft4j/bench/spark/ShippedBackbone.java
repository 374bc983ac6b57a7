package org.peft4j.bench.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.deeplearning4j.nn.api.Model;
import org.peft4j.LayerSelector;
import org.peft4j.bench.model.Backbone;
import org.peft4j.bench.train.InputSpec;
import org.peft4j.network.LayerSlot;
import org.peft4j.network.NetworkKind;

/**
 * What a run needs of the driver's {@link Backbone}, shipped to the executors: its input, layer roles and
 * description, and its default adapter targets resolved on the driver against the pretrained network (the layer
 * names its selector matches there, with its description). The executors restore the same pretrained network, so
 * these names select exactly the layers the driver's selector selects. It builds no network: the runs start from
 * the shipped pretrained one.
 */
final class ShippedBackbone implements Backbone, Serializable {

    private static final long serialVersionUID = 1L;

    private final String name;
    private final int inputChannels;
    private final int inputSize;
    private final InputSpec.Normalisation normalisation;
    private final String featureBoundary;
    private final ArrayList<String> headLayers;
    private final String outputLayer;
    private final HashSet<String> defaultTargetNames;
    private final String defaultTargetsDescription;
    private final String description;

    private ShippedBackbone(Backbone backbone, Model pretrained) {
        this.name = backbone.name();
        this.inputChannels = backbone.input().channels();
        this.inputSize = backbone.input().size();
        this.normalisation = backbone.input().normalisation();
        this.featureBoundary = backbone.featureBoundary();
        this.headLayers = new ArrayList<>(backbone.headLayers());
        this.outputLayer = backbone.outputLayer();
        LayerSelector targets = backbone.defaultTargets();
        this.defaultTargetNames = new HashSet<>(layers(pretrained).stream()
                .filter(s -> targets.matches(s.name(), s.config())).map(LayerSlot::name).toList());
        this.defaultTargetsDescription = targets.describe();
        this.description = backbone.describe();
    }

    /** {@code backbone} with its default targets resolved on {@code pretrained}. */
    static ShippedBackbone of(Backbone backbone, Model pretrained) {
        return new ShippedBackbone(backbone, pretrained);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static List<LayerSlot> layers(Model network) {
        return ((NetworkKind) NetworkKind.of(network)).layers(network);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public InputSpec input() {
        return new InputSpec(inputChannels, inputSize, normalisation);
    }

    /** @throws UnsupportedOperationException always: runs on an executor start from the shipped pretrained network */
    @Override
    public Model create(int classes, long seed) {
        throw new UnsupportedOperationException(name + " shipped to a Spark executor builds no network; the runs "
                + "start from the pretrained network the driver broadcast");
    }

    @Override
    public String featureBoundary() {
        return featureBoundary;
    }

    @Override
    public List<String> headLayers() {
        return List.copyOf(headLayers);
    }

    @Override
    public String outputLayer() {
        return outputLayer;
    }

    @Override
    public LayerSelector defaultTargets() {
        Set<String> names = Set.copyOf(defaultTargetNames);
        return new LayerSelector.Described((layer, config) -> names.contains(layer), defaultTargetsDescription);
    }

    @Override
    public String describe() {
        return description;
    }
}
