package org.peft4j.lora;

import static org.assertj.core.api.Assertions.assertThat;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.peft4j.LayerSelector;
import org.peft4j.ParameterReport;
import org.peft4j.Peft;
import org.peft4j.PeftConfig;
import org.peft4j.PeftModel;
import org.peft4j.testkit.SummaryTotals;

/** {@code PeftModel.summary()} of a LoRA network: DL4J's table with the parameter report's totals. */
class LoraSummaryTest {

    @Test
    void summaryTotalsEqualTheParameterReportWhereDl4jsOwnSummaryDoesNot() {
        PeftModel<MultiLayerNetwork> model = Peft.apply(LoraFixtures.mlp(DataType.FLOAT), PeftConfig.builder()
                .method("lora").config(LoraConfig.of(2, 2)).targets(LayerSelector.names("dense1", "dense2"))
                .trainable(LayerSelector.names("out")).build(), LoraFixtures.registry());
        ParameterReport report = model.parameterReport();
        String summary = model.summary();
        assertThat(summary).contains("     Frozen Parameters:  " + String.format("%,d", report.frozen()));

        assertThat(SummaryTotals.of(summary, "Trainable")).isEqualTo(report.trainable());
        assertThat(SummaryTotals.of(summary, "Frozen")).isEqualTo(report.frozen()).isPositive();
        assertThat(SummaryTotals.of(summary, "Total")).isEqualTo(report.total());
        assertThat(summary).contains("dense1").contains("dense2").contains("out");

        String dl4j = model.network().summary();
        assertThat(SummaryTotals.of(dl4j, "Frozen")).as("DL4J counts only whole FrozenLayers").isZero();
        assertThat(SummaryTotals.of(dl4j, "Trainable")).isEqualTo(report.total());
    }
}
