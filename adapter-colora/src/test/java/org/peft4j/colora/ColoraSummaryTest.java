package org.peft4j.colora;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.peft4j.LayerSelector;
import org.peft4j.ParameterReport;
import org.peft4j.Peft;
import org.peft4j.PeftConfig;
import org.peft4j.PeftModel;
import org.peft4j.testkit.ConvNets;

/** {@code PeftModel.summary()} of a CoLoRA graph: DL4J's table with the parameter report's totals. */
class ColoraSummaryTest {

    private static long total(String summary, String which) {
        Matcher m = Pattern.compile(which + " Parameters: +([\\d,]+)").matcher(summary);
        assertThat(m.find()).as(which + " line in%n%s", summary).isTrue();
        return Long.parseLong(m.group(1).replace(",", ""));
    }

    @Test
    void graphSummaryTotalsEqualTheParameterReport() {
        PeftModel<ComputationGraph> model = Peft.apply(ConvNets.graph2d(DataType.FLOAT), PeftConfig.builder()
                .method("colora").targets(LayerSelector.names("b")).build(), ColoraFixtures.registry());
        ParameterReport report = model.parameterReport();
        String summary = model.summary();

        assertThat(total(summary, "Trainable")).isEqualTo(report.trainable()).isPositive();
        assertThat(total(summary, "Frozen")).isEqualTo(report.frozen()).isPositive();
        assertThat(total(summary, "Total")).isEqualTo(report.total());
        assertThat(summary).contains("VertexName");

        String dl4j = model.network().summary();
        assertThat(total(dl4j, "Trainable")).as("DL4J's own summary disagrees").isNotEqualTo(report.trainable());
    }
}
