package org.peft4j.bench.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.lang3.StringEscapeUtils;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.peft4j.bench.metrics.ClassificationMetrics;
import org.peft4j.io.AtomicFiles;

/** Writes what {@code predict} and {@code evaluate} produce: {@code predictions.csv} and {@code metrics.json}. */
final class PredictionFiles {

    static final String PREDICTIONS = "predictions.csv";
    static final String METRICS = "metrics.json";

    private PredictionFiles() {
    }

    /**
     * One row per example: its id, the arg-max class, the true class, then one probability per class
     * ({@code p_<class>}).
     */
    static Path writePredictions(Path folder, List<String> ids, int[] labels, INDArray probabilities,
            List<String> classNames) throws IOException {
        Path file = folder.resolve(PREDICTIONS);
        StringBuilder text = new StringBuilder("example,predicted,label");
        classNames.forEach(c -> text.append(',').append(StringEscapeUtils.escapeCsv("p_" + c)));
        text.append('\n');
        for (int i = 0; i < ids.size(); i++) {
            INDArray row = probabilities.getRow(i);
            text.append(StringEscapeUtils.escapeCsv(ids.get(i))).append(',')
                    .append(StringEscapeUtils.escapeCsv(classNames.get(row.argMax().getInt(0)))).append(',')
                    .append(StringEscapeUtils.escapeCsv(classNames.get(labels[i])));
            for (int c = 0; c < classNames.size(); c++) {
                text.append(String.format(Locale.ROOT, ",%.6f", row.getDouble(c)));
            }
            text.append('\n');
        }
        AtomicFiles.writeString(file, text.toString());
        return file;
    }

    /** Accuracy, macro AUC, per-class recall and AUC, and the confusion matrix as JSON. */
    static Path writeMetrics(Path folder, ClassificationMetrics metrics, double loss) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("examples", metrics.count());
        json.put("accuracy", metrics.accuracy());
        json.put("macro_auc", metrics.macroAuc());
        json.put("loss", loss);
        json.put("classes", metrics.classNames());
        json.put("recall", metrics.recall());
        json.put("auc", metrics.auc());
        json.put("confusion", metrics.confusion());
        Path file = folder.resolve(METRICS);
        AtomicFiles.writeString(file, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(json) + "\n");
        return file;
    }
}
