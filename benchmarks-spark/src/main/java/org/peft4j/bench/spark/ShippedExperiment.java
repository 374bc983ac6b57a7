package org.peft4j.bench.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.deeplearning4j.nn.api.Model;
import org.peft4j.bench.data.LabeledImages;
import org.peft4j.bench.model.Optimiser;
import org.peft4j.bench.run.Experiment;
import org.peft4j.bench.train.Augmentation;

/**
 * Everything of an {@link Experiment} but the pretrained network (shipped as {@link ShippedNetwork}), in a form Java
 * serialization ships to the executors: broadcast once, so the data is sent once per executor, not per run, and no
 * executor reads data files or pretrains. Rebuilt on an executor it has the driver's settings, key for key.
 */
final class ShippedExperiment implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String protocol;
    private final ShippedBackbone backbone;
    private final LabeledImages train;
    /** null when the experiment has no validation set. */
    private final LabeledImages validation;
    private final LabeledImages test;
    private final ArrayList<ShippedContender> contenders;
    private final int epochs;
    private final int batchSize;
    private final String optimiserKind;
    private final double learningRate;
    private final double weightDecay;
    private final boolean flip;
    private final double brightness;
    private final ArrayList<Long> seeds;
    private final HashMap<String, String> settings;

    private ShippedExperiment(Experiment experiment, Model pretrained) {
        this.protocol = experiment.protocol();
        this.backbone = ShippedBackbone.of(experiment.backbone(), pretrained);
        this.train = experiment.train();
        this.validation = experiment.validation().orElse(null);
        this.test = experiment.test();
        this.contenders = new ArrayList<>(experiment.contenders().stream().map(ShippedContender::of).toList());
        this.epochs = experiment.epochs();
        this.batchSize = experiment.batchSize();
        this.optimiserKind = experiment.optimiser().kind();
        this.learningRate = experiment.optimiser().learningRate();
        this.weightDecay = experiment.optimiser().weightDecay();
        this.flip = experiment.augmentation().flip();
        this.brightness = experiment.augmentation().brightness();
        this.seeds = new ArrayList<>(experiment.seeds());
        this.settings = new HashMap<>(experiment.settings());
    }

    /** {@code experiment}, its backbone's default targets resolved on {@code pretrained}. */
    static ShippedExperiment of(Experiment experiment, Model pretrained) {
        return new ShippedExperiment(experiment, pretrained);
    }

    /**
     * The experiment again, starting from {@code pretrained} (the restored {@link ShippedNetwork}).
     *
     * @throws IllegalStateException when its settings differ from the driver's (then its runs would not be the
     *                               driver's runs), naming the differing settings
     */
    Experiment experiment(Model pretrained) {
        Experiment rebuilt = new Experiment(protocol, backbone, () -> pretrained, train,
                Optional.ofNullable(validation), test,
                contenders.stream().map(ShippedContender::contender).toList(), epochs, batchSize,
                new Optimiser(optimiserKind, learningRate, weightDecay), new Augmentation(flip, brightness), seeds,
                settings);
        if (!rebuilt.settings().equals(settings)) {
            Map<String, String> differing = new TreeMap<>(rebuilt.settings());
            differing.entrySet().removeIf(e -> e.getValue().equals(settings.get(e.getKey())));
            throw new IllegalStateException("the experiment rebuilt on the executor differs from the driver's in "
                    + differing.keySet() + ": executor " + differing + ", driver " + new TreeMap<>(settings));
        }
        return rebuilt;
    }
}
