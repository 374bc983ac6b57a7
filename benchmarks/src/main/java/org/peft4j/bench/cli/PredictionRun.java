package org.peft4j.bench.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.peft4j.bench.train.ClassifierNetwork;
import org.peft4j.bench.train.Predictions;

/**
 * A model's class probabilities for the user's data, for {@code predict} and {@code evaluate}: restores the
 * model, applies the adapter when given, reads the data at the model's input and writes {@code predictions.csv}.
 *
 * @param data          the images read
 * @param probabilities {@code [N, classes]}
 */
record PredictionRun(UserData data, INDArray probabilities) {

    /** Runs the model on the data and writes the predictions file; tells {@code err} what input it used. */
    static PredictionRun of(PredictionOptions options, PrintStream err) throws IOException {
        if (options.batch < 1) {
            throw new IllegalArgumentException("--batch must be >= 1, got " + options.batch);
        }
        Model model = NetworkFiles.restore(options.model, "--model");
        ModelInput input = options.input.of(model);
        if (options.adapter != null) {
            model = NetworkFiles.loadAdapter(model, options.adapter, options.model).network();
        }
        err.println("input: " + input.source());
        UserData data = UserData.read(options.data, options.split, input.spec().channels(), input.spec().size());
        INDArray probabilities = Predictions.probabilities(ClassifierNetwork.of(model), data.images(), input.spec(),
                options.batch);
        if (probabilities.size(1) != data.images().classes()) {
            throw new IllegalArgumentException("the model " + options.model + " has " + probabilities.size(1)
                    + " outputs but --data " + options.data + " has " + data.images().classes() + " classes "
                    + data.images().classNames());
        }
        Path written = PredictionFiles.writePredictions(options.out, data.ids(), data.images().labels(), probabilities,
                data.images().classNames());
        err.println("wrote " + written);
        return new PredictionRun(data, probabilities);
    }

    /** The metrics of these predictions against the data's labels. */
    Predictions evaluated() {
        return Predictions.of(probabilities, data.images());
    }
}
