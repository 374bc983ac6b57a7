package org.peft4j.backbones.adapted;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.peft4j.AdapterRegistry;
import org.peft4j.LayerSelector;
import org.peft4j.ParameterReport;
import org.peft4j.Peft;
import org.peft4j.PeftConfig;
import org.peft4j.PeftModel;
import org.peft4j.backbones.Vgg16;

/**
 * The parameter check for VGG16 at 224x224x3 with the paper head (4 classes), docs/protocols.md: CoLoRA on
 * blocks 2-5 trains 2,540,292 parameters and the merged network has 15,583,812. The methods are
 * found through the registry (this module compiles against the SPI only); no forward pass at 224.
 */
class PaperParameterReportTest {

    /** VGG16 convolutions of blocks 2-5 as (C_in, C_out), 3x3 kernels: Simonyan &amp; Zisserman, table 1, column D. */
    private static final int[][] BLOCKS_2_TO_5 = {
        {64, 128}, {128, 128},
        {128, 256}, {256, 256}, {256, 256},
        {256, 512}, {512, 512}, {512, 512},
        {512, 512}, {512, 512}, {512, 512},
    };
    private static final long BASE = 15_583_812L;

    /** Head by hand: 1x1 conv 512 -> 128, Dense 7*7*128 -> 128, Dense 128 -> 4, each with biases. */
    private static long head() {
        return (512L * 128 + 128) + (7L * 7 * 128 * 128 + 128) + (128L * 4 + 4);
    }

    /** CoLoRA's adapter parameters on blocks 2-5 by hand: sum of C_out*C_in + C_out*k*k + C_out. */
    private static long coloraAdapters() {
        long sum = 0;
        for (int[] conv : BLOCKS_2_TO_5) {
            sum += (long) conv[1] * conv[0] + (long) conv[1] * 3 * 3 + conv[1];
        }
        return sum;
    }

    private static ComputationGraph vgg16At224() {
        return Vgg16.withPaperHead(3, 224, 4, 1);
    }

    @Test
    void theCheckedFiguresFollowFromTheLayerShapes() {
        long pointwise = 0;
        long depthwise = 0;
        long biases = 0;
        for (int[] conv : BLOCKS_2_TO_5) {
            pointwise += (long) conv[1] * conv[0];
            depthwise += conv[1] * 9L;
            biases += conv[1];
        }
        assertThat(pointwise).isEqualTo(1_630_208L);
        assertThat(depthwise).isEqualTo(36_864L);
        assertThat(biases).isEqualTo(4_096L);
        assertThat(head()).isEqualTo(869_124L);
        assertThat(coloraAdapters() + head()).isEqualTo(2_540_292L);
    }

    @Test
    void coloraOnBlocks2To5Trains2540292AndMergesBackTo15583812() {
        AdapterRegistry registry = AdapterRegistry.fromClasspath();
        assumeTrue(registry.contains("colora"), "method 'colora' is not on the class path yet; available: " + registry.names());

        PeftModel<ComputationGraph> model = Peft.apply(vgg16At224(), PeftConfig.builder().method("colora")
                .targets(LayerSelector.byName("block[2-5]_conv\\d"))
                .trainable(LayerSelector.names("head_conv", "fc1", "predictions"))
                .build(), registry);
        ParameterReport report = model.parameterReport();
        assertThat(model.adaptedLayers()).hasSize(11);
        assertThat(report.trainable()).isEqualTo(2_540_292L);
        assertThat(report.total()).isEqualTo(BASE + coloraAdapters());
        assertThat(report.totalAfterMerge()).isEqualTo(BASE);
        assertThat(model.mergeAndUnload().numParams()).isEqualTo(BASE);
    }

    @Test
    void loraOnFc1TrainsItsLowRankFactorsAndMergesBackTo15583812() {
        AdapterRegistry registry = AdapterRegistry.fromClasspath();
        assertThat(registry.names()).contains("lora");
        // the method's default rank, read through the SPI; the figures below are for r = 8
        int rank = new ObjectMapper().valueToTree(registry.get("lora").defaultConfig()).get("rank").asInt();
        assertThat(rank).isEqualTo(8);

        PeftModel<ComputationGraph> model = Peft.apply(vgg16At224(), PeftConfig.builder().method("lora")
                .targets(LayerSelector.names("fc1"))
                .trainable(LayerSelector.names("head_conv", "predictions"))
                .build(), registry);
        // A [7*7*128, 8] and B [8, 128]
        long lora = 6272L * 8 + 8L * 128;
        assertThat(lora).isEqualTo(51_200L);
        ParameterReport report = model.parameterReport();
        assertThat(report.trainable()).isEqualTo(lora + (512L * 128 + 128) + (128L * 4 + 4));
        assertThat(report.total()).isEqualTo(BASE + lora);
        assertThat(report.totalAfterMerge()).isEqualTo(BASE);
        assertThat(model.mergeAndUnload().numParams()).isEqualTo(BASE);
    }
}
