package org.peft4j.bench.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.peft4j.backbones.weights.ExpectedChecksum;
import org.peft4j.backbones.weights.KerasH5Weights;
import org.peft4j.backbones.weights.ModelFiles;
import org.peft4j.backbones.weights.NamedWeights;
import org.peft4j.backbones.weights.WeightTransfer;

/**
 * Pretrained weights from a local file into a backbone, through the backbones module: a Keras
 * {@code .h5} file ({@link KerasH5Weights}) or a DL4J model file such as the zoo's cached ImageNet
 * zips ({@link ModelFiles}), copied by layer name and shape ({@link WeightTransfer}, which checks
 * every layer before writing any and names each mismatch).
 */
final class WeightsFiles {

    private WeightsFiles() {
    }

    /**
     * Fills {@code layers} of {@code target} from {@code file}.
     *
     * @param layers target layer -> source layer names accepted for it (e.g. {@code Vgg16.backboneLayers()})
     * @return what was copied
     * @throws UncheckedIOException when the file cannot be read, naming it
     */
    static WeightTransfer.Report load(Path file, Model target, Map<String, List<String>> layers) {
        NamedWeights weights;
        try {
            weights = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".h5")
                    ? KerasH5Weights.read(file, ExpectedChecksum.unchecked())
                    : ModelFiles.read(file, ExpectedChecksum.unchecked());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read pretrained weights from " + file + ": " + e.getMessage(), e);
        }
        return WeightTransfer.copy(target, weights, layers);
    }
}
