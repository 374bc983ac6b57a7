package org.peft4j.bench.protocol;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.util.ModelSerializer;
import org.peft4j.backbones.VggMini;
import org.peft4j.bench.data.LabeledImages;
import org.peft4j.bench.run.RunProgress;
import org.peft4j.bench.train.Augmentation;
import org.peft4j.bench.train.ClassifierNetwork;
import org.peft4j.bench.train.ImageBatches;
import org.peft4j.bench.train.InputSpec;
import org.peft4j.io.AtomicFiles;

/**
 * fashion-transfer's source task: {@code vgg-mini} trained from scratch (Adam lr 1e-3, its own
 * updater) on the source images, cached as a DL4J model file named after a SHA-256 of the images,
 * labels and settings, so later runs on the same data reuse it. The file is written atomically.
 */
final class SourcePretraining {

    private SourcePretraining() {
    }

    /**
     * The pretrained network, from the cache or trained now.
     *
     * @param source source-task images (labels {@code [0, classes)})
     */
    static MultiLayerNetwork pretrained(LabeledImages source, int epochs, int batchSize, long seed, Path cacheDir,
            RunProgress progress) {
        Path file = cacheDir.resolve("vgg-mini-source-" + fingerprint(source, epochs, batchSize, seed) + ".zip");
        try {
            if (Files.exists(file)) {
                progress.note("reusing the pretrained source network " + file);
                return ModelSerializer.restoreMultiLayerNetwork(file.toFile(), false);
            }
            MultiLayerNetwork network = VggMini.create(source.classes(), seed);
            ClassifierNetwork classifier = ClassifierNetwork.of(network);
            InputSpec input = new InputSpec(1, 28, InputSpec.Normalisation.UNIT);
            int batches = ImageBatches.inOrder(source, input, batchSize).batches();
            progress.runStarted("pretraining vgg-mini on the source task (" + source.size() + " images)",
                    (long) batches * epochs);
            network.addListeners(new BaseTrainingListener() {
                @Override
                public void iterationDone(Model model, int iteration, int epoch) {
                    progress.step();
                }
            });
            for (int epoch = 1; epoch <= epochs; epoch++) {
                classifier.fit(ImageBatches.shuffled(source, input, batchSize, seed * 1000 + epoch, Augmentation.NONE));
                progress.epochFinished(String.format("pretraining epoch %d/%d loss %.3f", epoch, epochs, network.score()));
            }
            network.setListeners();
            progress.runFinished("pretrained source network saved to " + file);
            AtomicFiles.writeModel(network, file, false);
            return network;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the pretrained network " + file + ": " + e.getMessage(), e);
        }
    }

    private static String fingerprint(LabeledImages source, int epochs, int batchSize, long seed) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (int i = 0; i < source.size(); i++) {
                sha.update(source.pixels(i));
                sha.update((byte) source.label(i));
            }
            sha.update(("vgg-mini|adam 1e-3|epochs " + epochs + "|batch " + batchSize + "|seed " + seed)
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}
