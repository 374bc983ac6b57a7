package org.peft4j;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * DL4J's {@code summary()} table of a network with the parameter totals of its {@link ParameterReport}.
 * DL4J's own summary counts a layer's parameters as frozen only when its runtime is a DL4J
 * {@code FrozenLayer}, and then all of them; an adapted layer holds frozen weights and trainable
 * adapter parameters in one layer, which that rule cannot express. So the per-layer table is DL4J's,
 * and the three total lines at its foot are rewritten with the report's counts.
 */
final class Dl4jSummary {

    private static final Pattern TOTAL = Pattern.compile("^ *(Total|Trainable|Frozen) Parameters: +[\\d,.\\u00a0\\u202f']+$",
            Pattern.MULTILINE);

    private Dl4jSummary() {
    }

    /** DL4J's summary of {@code network} with the totals of {@code report}. */
    static String of(Model network, ParameterReport report) {
        String dl4j;
        if (network instanceof MultiLayerNetwork mln) {
            dl4j = mln.summary();
        } else if (network instanceof ComputationGraph graph) {
            dl4j = graph.summary();
        } else {
            throw new IllegalArgumentException("not a MultiLayerNetwork or ComputationGraph: " + network.getClass());
        }
        Matcher lines = TOTAL.matcher(dl4j);
        StringBuilder out = new StringBuilder();
        while (lines.find()) {
            long count = switch (lines.group(1)) {
                case "Total" -> report.total();
                case "Trainable" -> report.trainable();
                default -> report.frozen();
            };
            lines.appendReplacement(out, Matcher.quoteReplacement(
                    String.format("%30s %,d", lines.group(1) + " Parameters: ", count)));
        }
        lines.appendTail(out);
        return out.toString();
    }
}
