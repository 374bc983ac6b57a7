package org.peft4j.bench.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.peft4j.bench.metrics.ClassificationMetrics;
import org.peft4j.bench.train.Predictions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code peft4j evaluate}: a model's predictions and metrics on the user's labelled data. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Writes DIR/predictions.csv (as predict) and DIR/metrics.json (accuracy, macro one-vs-rest "
                + "AUC, loss, per-class recall and AUC, confusion matrix) and prints one line of metrics.",
            "Example: peft4j evaluate --model base.zip --adapter out/adapter.safetensors --data octmnist.npz --split test --out eval/"})
final class EvaluateCommand implements Callable<Integer> {

    @Mixin
    PredictionOptions options;

    @Override
    public Integer call() throws Exception {
        Predictions predictions = PredictionRun.of(options, System.err).evaluated();
        ClassificationMetrics metrics = predictions.metrics();
        Path written = PredictionFiles.writeMetrics(options.out, metrics, predictions.loss());
        System.out.printf(Locale.ROOT, "%d examples: accuracy %.4f, macro AUC %.4f, loss %.4f (%s)%n", metrics.count(),
                metrics.accuracy(), metrics.macroAuc(), predictions.loss(), written);
        return 0;
    }
}
