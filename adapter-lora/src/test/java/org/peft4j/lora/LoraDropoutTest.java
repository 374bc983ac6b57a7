package org.peft4j.lora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.peft4j.LayerSelector;
import org.peft4j.Peft;
import org.peft4j.PeftConfig;

/** Dropout on the branch input: only in training, one mask per input, inverted scaling. */
class LoraDropoutTest {

    private MultiLayerNetwork network(double dropout) {
        MultiLayerNetwork net = Peft.apply(LoraFixtures.mlp(DataType.DOUBLE), PeftConfig.builder().method("lora")
                .config(new LoraConfig(2, 2, dropout, LoraInit.KAIMING_UNIFORM)).targets(LayerSelector.names("dense1"))
                .build(), LoraFixtures.registry()).network();
        Nd4j.getRandom().setSeed(11);
        INDArray b = net.getLayer(0).getParam("B");
        b.assign(Nd4j.randn(DataType.DOUBLE, b.shape()));
        return net;
    }

    @Test
    void inferenceIgnoresDropoutAndTrainingAppliesOneMaskPerInput() {
        MultiLayerNetwork withDropout = network(0.5);
        MultiLayerNetwork without = network(0.0);
        INDArray x = LoraFixtures.data(DataType.DOUBLE).getFeatures();
        assertThat(withDropout.output(x, false)).isEqualTo(without.output(x, false));

        Layer layer = withDropout.getLayer(0);
        LayerWorkspaceMgr ws = LayerWorkspaceMgr.noWorkspaces();
        layer.setInput(x, ws);
        INDArray first = layer.activate(true, ws).dup();
        INDArray again = layer.activate(true, ws).dup();
        assertThat(first).as("same input, same mask").isEqualTo(again);
        assertThat(first).isNotEqualTo(layer.activate(false, ws));
        layer.setInput(x.dup(), ws);
        assertThat(layer.activate(true, ws)).as("a new input draws a new mask").isNotEqualTo(first);
    }

    @Test
    void theMaskIsInvertedDropoutWithTheRightKeepRate() {
        MultiLayerNetwork net = network(0.3);
        Layer layer = net.getLayer(0);
        LayerWorkspaceMgr ws = LayerWorkspaceMgr.noWorkspaces();
        // W = 0, b = 0, A = 1, B[:, 0] = 1, s = 1: output 0 is tanh(2 * 0.01 * sum_i mask_i)
        layer.getParam("W").assign(0);
        layer.getParam("b").assign(0);
        layer.getParam("A").assign(1);
        layer.getParam("B").assign(0).getColumn(0).assign(1);
        layer.setInput(Nd4j.valueArrayOf(new long[] {4000, LoraFixtures.IN}, 0.01, DataType.DOUBLE), ws);
        double[] maskSums = Transforms.atanh(layer.activate(true, ws).getColumn(0), true).divi(0.02).toDoubleVector();
        double total = 0;
        for (double sum : maskSums) {
            double kept = sum * 0.7;
            assertThat(kept).as("kept inputs, each scaled by 1/0.7").isCloseTo(Math.rint(kept), offset(1e-6));
            total += kept;
        }
        assertThat(total / (4000.0 * LoraFixtures.IN)).as("keep rate").isCloseTo(0.7, offset(0.01));
    }
}
