package org.peft4j.colora;

import static org.assertj.core.api.Assertions.assertThat;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.peft4j.LayerSelector;
import org.peft4j.ParameterReport;
import org.peft4j.Peft;
import org.peft4j.PeftConfig;
import org.peft4j.PeftModel;
import org.peft4j.testkit.SummaryTotals;
import org.peft4j.testkit.ConvNets;

/** {@code PeftModel.summary()} of a CoLoRA graph: DL4J's table with the parameter report's totals. */
class ColoraSummaryTest {

    @Test
    void graphSummaryTotalsEqualTheParameterReport() {
        PeftModel<ComputationGraph> model = Peft.apply(ConvNets.graph2d(DataType.FLOAT), PeftConfig.builder()
                .method("colora").targets(LayerSelector.names("b")).build(), ColoraFixtures.registry());
        ParameterReport report = model.parameterReport();
        String summary = model.summary();

        assertThat(SummaryTotals.of(summary, "Trainable")).isEqualTo(report.trainable()).isPositive();
        assertThat(SummaryTotals.of(summary, "Frozen")).isEqualTo(report.frozen()).isPositive();
        assertThat(SummaryTotals.of(summary, "Total")).isEqualTo(report.total());
        assertThat(summary).contains("VertexName");

        String dl4j = model.network().summary();
        assertThat(SummaryTotals.of(dl4j, "Trainable")).as("DL4J's own summary disagrees").isNotEqualTo(report.trainable());
    }
}
