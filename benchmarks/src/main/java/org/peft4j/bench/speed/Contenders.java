package org.peft4j.bench.speed;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.FineTuneConfiguration;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.nd4j.linalg.learning.config.Adam;
import org.peft4j.AdapterRegistry;
import org.peft4j.LayerSelector;
import org.peft4j.ParameterReport;
import org.peft4j.Peft;
import org.peft4j.PeftConfig;
import org.peft4j.PeftModel;
import org.peft4j.network.LayerSlot;
import org.peft4j.network.NetworkKind;
import org.peft4j.spi.AdapterConfig;
import org.peft4j.spi.AdapterMethod;

/**
 * Builds the contenders of one network: full fine-tuning (the base network, every parameter
 * trainable), head-only transfer (DL4J's {@code TransferLearning} feature extractor up to the last
 * pooling layer, the head trainable), the backward pass's floor ({@link #FLOOR_METHODS}) and every
 * registered adapter method that can adapt all the network's target convolutions (the head trainable
 * too). All use Adam.
 */
final class Contenders {

    /** Contenders and the registered methods that could not take part, with the reason. */
    record Lineup(List<Contender> contenders, List<SpeedReport.Skipped> skipped) {
    }

    /**
     * The methods the floor may put on the lowest target, the first that takes it: LoRA-conv for 1D and 2D
     * convolutions, CoLoRA-3D for 3D ones.
     */
    static final List<String> FLOOR_METHODS = List.of("lora-conv", "colora3d");

    private Contenders() {
    }

    static Lineup of(BenchNetwork network, Model base, SpeedOptions options, AdapterRegistry registry) {
        List<Contender> contenders = new ArrayList<>();
        List<SpeedReport.Skipped> skipped = new ArrayList<>();
        if (options.includes(SpeedOptions.FULL)) {
            Model full = copy(base);
            contenders.add(new Contender(SpeedOptions.FULL, full, null, ParameterReport.of(full)));
        }
        if (options.includes(SpeedOptions.HEAD_ONLY)) {
            Model head = headOnly(network, base);
            contenders.add(new Contender(SpeedOptions.HEAD_ONLY, head, null, ParameterReport.of(head)));
        }
        List<LayerSlot> targets = NetworkKind.of(base).layers(base).stream()
                .filter(s -> network.targets().matches(s.name(), s.config())).toList();
        if (options.includes(SpeedOptions.BACKPROP_FLOOR)) {
            floor(network, base, targets, options, registry).ifPresentOrElse(contenders::add,
                    () -> skipped.add(new SpeedReport.Skipped(SpeedOptions.BACKPROP_FLOOR, "none of " + FLOOR_METHODS
                            + " is registered and takes the lowest target")));
        }
        for (String name : registry.names()) {
            if (!options.includes(name)) {
                continue;
            }
            AdapterMethod<?> method = registry.get(name);
            Optional<String> reason = targets.stream().map(s -> method.unsupportedReason(s.config())
                    .map(r -> s.name() + ": " + r)).flatMap(Optional::stream).findFirst();
            if (reason.isPresent()) {
                skipped.add(new SpeedReport.Skipped(name, reason.get()));
                continue;
            }
            PeftModel<Model> model = adapt(network, base, name, network.targets(), options, registry);
            contenders.add(new Contender(name, model.network(), model::mergeAndUnload, model.parameterReport()));
        }
        return new Lineup(contenders, skipped);
    }

    /**
     * The least any method adapting every target can cost on this network: an adapter on the first target in the
     * network's layer order alone (head trainable). The backward pass runs down to it, so every target above it
     * passes its input gradient as a frozen layer and adds nothing else; a method adapting every target pays that
     * and its own work on each. A baseline: not merged; timed at inference as trained, like full fine-tuning.
     */
    private static Optional<Contender> floor(BenchNetwork network, Model base, List<LayerSlot> targets,
            SpeedOptions options, AdapterRegistry registry) {
        if (targets.isEmpty()) {
            return Optional.empty();
        }
        LayerSlot lowest = targets.get(0);
        for (String name : FLOOR_METHODS) {
            if (!registry.names().contains(name) || registry.get(name).unsupportedReason(lowest.config()).isPresent()) {
                continue;
            }
            PeftModel<Model> model = adapt(network, base, name, LayerSelector.names(lowest.name()), options, registry);
            return Optional.of(new Contender(SpeedOptions.BACKPROP_FLOOR, model.network(), null, model.parameterReport()));
        }
        return Optional.empty();
    }

    /** {@code method} on {@code targets} with the protocol's settings, the head trainable, Adam. */
    private static PeftModel<Model> adapt(BenchNetwork network, Model base, String method, LayerSelector targets,
            SpeedOptions options, AdapterRegistry registry) {
        PeftConfig.Builder config = PeftConfig.builder().method(method).targets(targets)
                .trainable(LayerSelector.names(network.head())).updater(new Adam(1e-3));
        AdapterConfig hyper = options.configs().get(method);
        if (hyper != null) {
            config.config(hyper);
        }
        return Peft.apply(base, config.build(), registry);
    }

    private static Model copy(Model base) {
        return base instanceof MultiLayerNetwork mln ? mln.clone() : ((ComputationGraph) base).clone();
    }

    private static Model headOnly(BenchNetwork network, Model base) {
        FineTuneConfiguration tune = new FineTuneConfiguration.Builder().updater(new Adam(1e-3)).build();
        if (base instanceof MultiLayerNetwork mln) {
            int last = NetworkKind.of(mln).layers(mln).stream().filter(s -> s.name().equals(network.lastFrozen()))
                    .findFirst().orElseThrow().index();
            return new TransferLearning.Builder(mln.clone()).fineTuneConfiguration(tune).setFeatureExtractor(last).build();
        }
        return new TransferLearning.GraphBuilder(((ComputationGraph) base).clone()).fineTuneConfiguration(tune)
                .setFeatureExtractor(network.lastFrozen()).build();
    }
}
