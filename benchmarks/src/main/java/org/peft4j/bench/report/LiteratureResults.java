package org.peft4j.bench.report;

import java.util.List;

/**
 * Published OCTMNIST test results, cited as constants for the paper's Table 4. They are not
 * measured here.
 */
public final class LiteratureResults {

    /**
     * One published result.
     *
     * @param method   the model as published
     * @param auc      test AUC
     * @param accuracy test accuracy
     * @param source   where it is published
     */
    public record Row(String method, double auc, double accuracy, String source) {
    }

    private static final String MEDMNIST = "Yang et al., MedMNIST v2, Scientific Data 10:41 (2023), benchmark table";
    private static final String COLORA = "Rivera & Hoyos, CoLoRA paper (the figures it reports)";

    /** The rows, MedMNIST v2 baselines first, then the CoLoRA paper's own figures. */
    public static final List<Row> OCTMNIST = List.of(
            new Row("ResNet-18 (28)", 0.943, 0.743, MEDMNIST),
            new Row("ResNet-18 (224)", 0.958, 0.763, MEDMNIST),
            new Row("ResNet-50 (28)", 0.952, 0.762, MEDMNIST),
            new Row("ResNet-50 (224)", 0.958, 0.776, MEDMNIST),
            new Row("auto-sklearn", 0.887, 0.595, MEDMNIST),
            new Row("AutoKeras", 0.956, 0.763, MEDMNIST),
            new Row("Google AutoML Vision", 0.963, 0.771, MEDMNIST),
            new Row("VGG16 transfer (head only)", 0.982, 0.916, COLORA),
            new Row("VGG16-CoLoRA, balanced set", 0.993, 0.960, COLORA),
            new Row("VGG16-CoLoRA, distilled set", 0.995, 0.963, COLORA),
            new Row("ResNet50-CoLoRA", 0.992, 0.951, COLORA));

    private LiteratureResults() {
    }
}
