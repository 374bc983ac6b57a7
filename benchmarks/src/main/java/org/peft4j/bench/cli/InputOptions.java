package org.peft4j.bench.cli;

import org.deeplearning4j.nn.api.Model;
import org.peft4j.bench.train.InputSpec;
import picocli.CommandLine.Option;

/** The image input options of the commands that run the user's model: what the model file does not say. */
final class InputOptions {

    @Option(names = "--image-size", paramLabel = "N", description = "Input height and width (default: read from "
            + "the model; a backbone name: 224 for vgg16 and resnet50).")
    Integer imageSize;

    @Option(names = "--channels", description = "Input channels, 1 or 3 (default: the model's first layer).")
    Integer channels;

    @Option(names = "--normalisation", description = "Pixel scaling of a model file: "
            + "${COMPLETION-CANDIDATES} (default: UNIT, pixels / 255).")
    InputSpec.Normalisation normalisation;

    /** The input of {@code model}: these options, and the model for what they leave open. */
    ModelInput of(Model model) {
        return ModelInput.of(model, imageSize, channels, normalisation == null ? InputSpec.Normalisation.UNIT
                : normalisation);
    }

    /** Fails when an option that only a model file takes is given for the backbone {@code name}. */
    void requireOnlySize(String name) {
        if (channels != null || normalisation != null) {
            throw new IllegalArgumentException("--channels and --normalisation are for a model file; the backbone "
                    + name + " has its own input (give --image-size only)");
        }
    }
}
