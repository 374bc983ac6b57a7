package org.peft4j.bench.protocol;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Options of a comparison as the command line gives them; empty means the protocol's default.
 *
 * @param data           data file or folder
 * @param backbone       backbone name
 * @param imageSize      backbone input size
 * @param weights        pretrained weights file
 * @param methods        methods to compare, in order; empty = all
 * @param merge          per-method merge-every-epoch overrides
 * @param methodConfig   per-method adapter settings overrides
 * @param methodTargets  per-method target layer regex
 * @param epochs         training epochs
 * @param batch          minibatch size
 * @param optimiser      adam or adamw
 * @param learningRate   learning rate
 * @param weightDecay    AdamW weight decay
 * @param seeds          run seeds; empty = protocol default
 * @param subset         training subset (octmnist-paper)
 * @param entropyModel   model file ranking images for the distilled subset
 * @param augment        flip + brightness augmentation
 * @param trainPerClass  target training images per class (fashion-transfer)
 * @param valLimit       first N validation images only
 * @param testLimit      first N test images only
 * @param sourceLimit    first N source-task images only (fashion-transfer pretraining)
 * @param pretrainEpochs source-task pretraining epochs (fashion-transfer)
 * @param cacheDir       where pretrained networks are cached
 */
public record ProtocolOptions(Optional<Path> data, Optional<String> backbone, Optional<Integer> imageSize,
        Optional<Path> weights, List<String> methods, Map<String, Boolean> merge,
        Map<String, Map<String, String>> methodConfig, Map<String, String> methodTargets, Optional<Integer> epochs,
        Optional<Integer> batch, Optional<String> optimiser, Optional<Double> learningRate,
        Optional<Double> weightDecay, List<Long> seeds, Optional<String> subset, Optional<Path> entropyModel,
        Optional<Boolean> augment, Optional<Integer> trainPerClass, Optional<Integer> valLimit,
        Optional<Integer> testLimit, Optional<Integer> sourceLimit, Optional<Integer> pretrainEpochs, Path cacheDir) {

    public ProtocolOptions {
        methods = List.copyOf(methods);
        merge = Map.copyOf(merge);
        methodConfig = Map.copyOf(methodConfig);
        methodTargets = Map.copyOf(methodTargets);
        seeds = List.copyOf(seeds);
        for (Optional<Integer> positive : List.of(imageSize, epochs, batch, trainPerClass, valLimit, testLimit,
                sourceLimit, pretrainEpochs)) {
            if (positive.isPresent() && positive.get() < 1) {
                throw new IllegalArgumentException("sizes, counts and epochs must be >= 1, got " + positive.get());
            }
        }
    }

    /** No options: every protocol default, pretrained networks cached in {@code cacheDir}. */
    public static ProtocolOptions defaults(Path cacheDir) {
        return new ProtocolOptions(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), List.of(),
                Map.of(), Map.of(), Map.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), List.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), cacheDir);
    }
}
