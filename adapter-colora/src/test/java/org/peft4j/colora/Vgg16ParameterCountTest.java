package org.peft4j.colora;

import static org.assertj.core.api.Assertions.assertThat;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.peft4j.LayerSelector;
import org.peft4j.ParameterReport;
import org.peft4j.Peft;
import org.peft4j.PeftConfig;
import org.peft4j.PeftModel;
import org.peft4j.backbones.Vgg16;

/** The parameter arithmetic of DESIGN.md for VGG16 at 224x224x3 with the paper head. */
class Vgg16ParameterCountTest {

    @Test
    void coloraOnBlocksTwoToFiveTrainsThePapersCount() {
        ComputationGraph base = Vgg16.withPaperHead(3, 224, 4, 1);
        assertThat(base.numParams()).isEqualTo(15_583_812L);
        PeftModel<ComputationGraph> model = Peft.apply(base, PeftConfig.builder().method("colora")
                .targets(LayerSelector.byName("block[2-5]_conv\\d"))
                .trainable(LayerSelector.names("head_conv", "fc1", "predictions")).build(), ColoraFixtures.registry());
        ParameterReport report = model.parameterReport();
        // Kp 1,630,208 + Kd 36,864 + db 4,096 + head 869,124
        assertThat(report.trainable()).isEqualTo(2_540_292L);
        assertThat(report.rows().stream().mapToLong(ParameterReport.Row::adapter).sum())
                .isEqualTo(1_630_208L + 36_864L + 4_096L);
        assertThat(report.totalAfterMerge()).isEqualTo(15_583_812L);
    }
}
