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
 * pooling layer, the head trainable) and every registered adapter method that can adapt all the
 * network's target convolutions (the head trainable too). All use Adam.
 */
final class Contenders {

    /** Contenders and the registered methods that could not take part, with the reason. */
    record Lineup(List<Contender> contenders, List<SpeedReport.Skipped> skipped) {
    }

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
            PeftConfig.Builder config = PeftConfig.builder().method(name).targets(network.targets())
                    .trainable(LayerSelector.names(network.head())).updater(new Adam(1e-3));
            AdapterConfig hyper = options.configs().get(name);
            if (hyper != null) {
                config.config(hyper);
            }
            PeftModel<Model> model = Peft.apply(base, config.build(), registry);
            contenders.add(new Contender(name, model.network(), model::mergeAndUnload, model.parameterReport()));
        }
        return new Lineup(contenders, skipped);
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
