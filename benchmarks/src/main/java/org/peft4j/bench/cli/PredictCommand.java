package org.peft4j.bench.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code peft4j predict}: a model's class probabilities for every image of the user's data. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Writes DIR/predictions.csv: one row per image (its file or index, the predicted class, the "
                + "label, one probability per class).",
            "Example: peft4j predict --model merged.zip --data photos/ --out predictions/"})
final class PredictCommand implements Callable<Integer> {

    @Mixin
    PredictionOptions options;

    @Override
    public Integer call() throws Exception {
        PredictionRun.of(options, System.err);
        return 0;
    }
}
