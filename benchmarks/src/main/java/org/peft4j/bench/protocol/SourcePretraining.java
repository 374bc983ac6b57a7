package org.peft4j.bench.protocol;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.peft4j.backbones.pretraining.PretrainingSettings;
import org.peft4j.backbones.pretraining.SourceTaskPretraining;
import org.peft4j.bench.data.LabeledImages;
import org.peft4j.bench.run.RunProgress;
import org.peft4j.bench.train.Augmentation;
import org.peft4j.bench.train.ImageBatches;
import org.peft4j.bench.train.InputSpec;

/**
 * fashion-transfer's source task through the backbones module's {@link SourceTaskPretraining}:
 * {@code vgg-mini} trained from scratch (Adam lr 1e-3) on the source images and cached under a key
 * that includes a SHA-256 of the images and labels, so later runs on the same data reuse the file.
 * Training reports to the run's progress display.
 */
final class SourcePretraining {

    private static final double LEARNING_RATE = 1e-3;

    private SourcePretraining() {
    }

    /**
     * The pretrained network, from the cache or trained now.
     *
     * @param source source-task images, [1, 28, 28] each, labels {@code [0, classes)}
     */
    static MultiLayerNetwork pretrained(LabeledImages source, int epochs, int batchSize, long seed, Path cacheDir,
            RunProgress progress) {
        PretrainingSettings settings = new PretrainingSettings(PretrainingSettings.VGG_MINI, source.classes(), epochs,
                LEARNING_RATE, batchSize, seed, source.size() + " source images, sha256 " + fingerprint(source));
        SourceTaskPretraining cache = new SourceTaskPretraining(cacheDir);
        Path file = cache.cacheFile(settings);
        InputSpec input = new InputSpec(1, 28, InputSpec.Normalisation.UNIT);
        try {
            if (Files.isRegularFile(file)) {
                progress.note("reusing the pretrained source network " + file);
                return cache.pretrained(settings, () -> {
                    throw new IllegalStateException("cached network " + file + " vanished while being read");
                });
            }
            ImageBatches batches = ImageBatches.shuffled(source, input, batchSize, seed, Augmentation.NONE);
            progress.runStarted("pretraining vgg-mini on the source task (" + source.size() + " images)",
                    (long) batches.batches() * epochs);
            MultiLayerNetwork network = cache.pretrained(settings, () -> batches, new BaseTrainingListener() {
                @Override
                public void iterationDone(Model model, int iteration, int epoch) {
                    progress.step();
                }

                @Override
                public void onEpochEnd(Model model) {
                    progress.epochFinished(String.format("pretraining epoch %d/%d loss %.3f",
                            ((MultiLayerNetwork) model).getEpochCount() + 1, epochs, model.score()));
                }
            });
            progress.runFinished("pretrained source network saved to " + file);
            return network;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the pretrained network " + file + ": " + e.getMessage(), e);
        }
    }

    private static String fingerprint(LabeledImages source) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (int i = 0; i < source.size(); i++) {
                sha.update(source.pixels(i));
                sha.update((byte) source.label(i));
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}
