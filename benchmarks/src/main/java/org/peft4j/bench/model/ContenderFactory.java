package org.peft4j.bench.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.weights.WeightInit;
import org.peft4j.AdapterRegistry;
import org.peft4j.LayerSelector;
import org.peft4j.MergeEveryEpochs;
import org.peft4j.Peft;
import org.peft4j.PeftConfig;
import org.peft4j.Seeds;
import org.peft4j.bench.train.ClassifierNetwork;
import org.peft4j.network.LayerSlot;
import org.peft4j.network.NetworkKind;
import org.peft4j.spi.AdapterConfig;
import org.peft4j.spi.AdapterMethod;
import org.peft4j.spi.TargetLayer;

/**
 * Builds the trainable network of a {@link Contender} from a pretrained one. Every contender gets
 * a fresh output layer initialised from the run seed and trains the backbone's head layers;
 * they differ in the backbone:
 * <ul>
 *   <li>head-only: DL4J transfer learning freezes everything up to the backbone's feature boundary;</li>
 *   <li>full: everything is trained;</li>
 *   <li>adapter: {@link Peft#apply} wraps the target layers (the backbone's default, or the contender's
 *       regex) and freezes the rest of the backbone; a {@link MergeEveryEpochs} listener is attached
 *       when the contender merges.</li>
 * </ul>
 * The pretrained network is never modified.
 */
public final class ContenderFactory {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AdapterRegistry registry;

    public ContenderFactory(AdapterRegistry registry) {
        this.registry = registry;
    }

    /**
     * A trainable network and what it needs during training.
     *
     * @param network  the network to fit
     * @param merge    the merge listener, already attached, when the contender merges every epoch
     * @param adapted  the adapted layer names (empty for the baselines)
     * @param config   the adapter configuration used, as JSON (empty for the baselines; for several methods, an
     *                 object of each method's configuration by method name)
     */
    public record Prepared(ClassifierNetwork network, Optional<MergeEveryEpochs> merge, List<String> adapted,
            String config) {
    }

    /**
     * @throws UnavailableContenderException when the method cannot adapt the selected layers
     * @throws IllegalArgumentException      for bad options (an unknown config field, a regex matching nothing)
     */
    public Prepared build(Contender contender, Model pretrained, Backbone backbone, int classes, long seed,
            Optimiser optimiser) throws UnavailableContenderException {
        Seeds.seedNd4j(seed);
        return switch (contender.kind()) {
            case HEAD_ONLY -> new Prepared(ClassifierNetwork.of(transfer(pretrained, backbone, classes, seed, optimiser, true)),
                    Optional.empty(), List.of(), "");
            case FULL_FINE_TUNING -> new Prepared(ClassifierNetwork.of(transfer(pretrained, backbone, classes, seed, optimiser,
                    false)), Optional.empty(), List.of(), "");
            case ADAPTER -> adapter(contender, pretrained, backbone, classes, seed, optimiser);
        };
    }

    private static Model transfer(Model pretrained, Backbone backbone, int classes, long seed, Optimiser optimiser,
            boolean freezeBackbone) {
        FineTuneConfiguration.Builder tune = new FineTuneConfiguration.Builder().updater(optimiser.updater()).seed(Seeds.nd4j(seed));
        if (optimiser.weightDecay() > 0) {
            tune.weightDecay(optimiser.weightDecay(), true);
        }
        if (pretrained instanceof ComputationGraph graph) {
            WeightInit init = headInit(graph.getLayer(backbone.outputLayer()).conf().getLayer());
            TransferLearning.GraphBuilder builder = new TransferLearning.GraphBuilder(graph)
                    .fineTuneConfiguration(tune.build())
                    .nOutReplace(backbone.outputLayer(), classes, init, init);
            if (freezeBackbone) {
                builder.setFeatureExtractor(backbone.featureBoundary());
            }
            return builder.build();
        }
        MultiLayerNetwork net = (MultiLayerNetwork) pretrained;
        int output = layerIndex(net, backbone.outputLayer());
        WeightInit init = headInit(net.getLayer(output).conf().getLayer());
        TransferLearning.Builder builder = new TransferLearning.Builder(net).fineTuneConfiguration(tune.build())
                .nOutReplace(output, classes, init, init);
        if (freezeBackbone) {
            builder.setFeatureExtractor(layerIndex(net, backbone.featureBoundary()));
        }
        return builder.build();
    }

    /**
     * Checks, without building anything, that {@code contender} can run on {@code pretrained}: its targets match
     * layers of the network, its settings parse, and the method can plan every target with them. Baselines
     * always can.
     *
     * @throws UnavailableContenderException when the method cannot adapt the selected layers (the run is skipped)
     * @throws IllegalArgumentException      naming the method for bad targets or settings
     */
    public void check(Contender contender, Model pretrained, Backbone backbone) throws UnavailableContenderException {
        if (contender.kind() != Contender.Kind.ADAPTER) {
            return;
        }
        for (Contender part : contender.methods()) {
            AdapterMethod<?> method = registry.get(part.name());
            List<LayerSlot> targets = targets(part, method, pretrained, backbone);
            AdapterConfig config = config(method, part.config());
            try {
                plan(method, config, targets.stream().map(s -> new TargetLayer(s.name(), s.index(), s.config().clone())).toList());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + part.name() + "' cannot use the settings "
                        + part.config() + " on " + backbone.name() + ": " + e.getMessage(), e);
            }
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void plan(AdapterMethod method, AdapterConfig config, List<TargetLayer> targets) {
        method.plan(targets, config);
    }

    /** The layers {@code contender} adapts; fails when none match or the method cannot adapt some. */
    private static List<LayerSlot> targets(Contender contender, AdapterMethod<?> method, Model pretrained,
            Backbone backbone) throws UnavailableContenderException {
        LayerSelector targets = selector(contender, backbone);
        Map<String, List<String>> unsupported = new LinkedHashMap<>();
        List<LayerSlot> matched = layers(pretrained).stream().filter(s -> targets.matches(s.name(), s.config())).toList();
        for (LayerSlot slot : matched) {
            method.unsupportedReason(slot.config())
                    .ifPresent(r -> unsupported.computeIfAbsent(r, k -> new ArrayList<>()).add(slot.name()));
        }
        if (matched.isEmpty()) {
            throw new IllegalArgumentException("the targets " + targets.describe() + " of '" + contender.name()
                    + "' match no layer of " + backbone.name() + contender.targets().map(t -> " (--method-targets "
                    + contender.name() + "=" + t + ")").orElse(""));
        }
        if (!unsupported.isEmpty()) {
            List<String> reasons = new ArrayList<>();
            unsupported.forEach((reason, names) -> reasons.add(String.join(", ", names) + ": " + reason));
            throw new UnavailableContenderException("'" + contender.name() + "' cannot adapt the selected layers "
                    + String.join("; ", reasons));
        }
        return matched;
    }

    private static LayerSelector selector(Contender contender, Backbone backbone) {
        return contender.targets().map(LayerSelector::byName).orElse(backbone.defaultTargets());
    }

    private Prepared adapter(Contender contender, Model pretrained, Backbone backbone, int classes, long seed,
            Optimiser optimiser) throws UnavailableContenderException {
        PeftConfig.Builder peft = PeftConfig.builder().newOutput(classes).updater(optimiser.updater());
        List<String> adaptedNames = new ArrayList<>();
        List<String> configs = new ArrayList<>();
        for (Contender part : contender.methods()) {
            AdapterMethod<?> method = registry.get(part.name());
            adaptedNames.addAll(targets(part, method, pretrained, backbone).stream().map(LayerSlot::name).toList());
            AdapterConfig config = config(method, part.config());
            peft.rule(selector(part, backbone), method.name(), config);
            configs.add(contender.parts().isEmpty() ? json(config) : "\"" + method.name() + "\":" + json(config));
        }
        List<String> head = backbone.headLayers().stream().filter(n -> !adaptedNames.contains(n)).toList();
        Model start = Reseeded.copy(pretrained, seed, optimiser);
        if (!head.isEmpty()) {
            peft.trainable(LayerSelector.names(head));
        }
        Model adapted = Peft.apply(start, peft.build(), registry).network();
        Optional<MergeEveryEpochs> merge = Optional.empty();
        if (contender.mergeEveryEpoch()) {
            MergeEveryEpochs listener = new MergeEveryEpochs(1);
            adapted.addListeners(listener);
            merge = Optional.of(listener);
        }
        return new Prepared(ClassifierNetwork.of(adapted), merge, adaptedNames,
                configs.size() == 1 ? configs.get(0) : "{" + String.join(",", configs) + "}");
    }

    /** The method's default configuration with {@code overrides} applied by record component name. */
    public static AdapterConfig config(AdapterMethod<?> method, Map<String, String> overrides) {
        AdapterConfig base = method.defaultConfig();
        if (overrides.isEmpty()) {
            return base;
        }
        ObjectNode node = JSON.valueToTree(base);
        for (Map.Entry<String, String> entry : overrides.entrySet()) {
            if (!node.has(entry.getKey())) {
                List<String> fields = new ArrayList<>();
                node.fieldNames().forEachRemaining(fields::add);
                throw new IllegalArgumentException("method '" + method.name() + "' has no setting '" + entry.getKey()
                        + "'; its settings: " + fields);
            }
            node.set(entry.getKey(), value(entry.getValue()));
        }
        try {
            return JSON.treeToValue(node, method.configType());
        } catch (JsonProcessingException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalArgumentException("bad settings " + overrides + " for '" + method.name() + "': "
                    + cause.getMessage(), e);
        }
    }

    private static JsonNode value(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return JSON.getNodeFactory().textNode(text);
        }
    }

    private static String json(AdapterConfig config) {
        try {
            return JSON.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            return config.toString();
        }
    }

    /**
     * The output layer's own initialisation scheme, so the baselines' new head is drawn like the adapter
     * methods' (whose new head keeps the layer's configuration); Xavier when it is not a plain scheme.
     */
    private static WeightInit headInit(Layer output) {
        if (output instanceof BaseLayer base && base.getWeightInitFn() != null) {
            for (WeightInit scheme : WeightInit.values()) {
                if (scheme != WeightInit.DISTRIBUTION && scheme.getWeightInitFunction().equals(base.getWeightInitFn())) {
                    return scheme;
                }
            }
        }
        return WeightInit.XAVIER;
    }

    private static int layerIndex(MultiLayerNetwork net, String name) {
        for (int i = 0; i < net.getnLayers(); i++) {
            if (name.equals(net.getLayer(i).conf().getLayer().getLayerName())) {
                return i;
            }
        }
        throw new IllegalArgumentException("the network has no layer '" + name + "'");
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static List<LayerSlot> layers(Model network) {
        return ((NetworkKind) NetworkKind.of(network)).layers(network);
    }
}
