package org.peft4j.lora;

import static org.assertj.core.api.Assertions.assertThat;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.peft4j.LayerSelector;
import org.peft4j.Peft;
import org.peft4j.PeftConfig;
import org.peft4j.PeftModel;
import org.peft4j.spi.MergeableLayer;
import org.peft4j.testkit.Nets;

/** LoRA's forward pass and merge against a plain computation of y = act(x·(W0 + s·A·B) + b0). */
class LoraMathTest {

    @Test
    void forwardEqualsTheDenseFormulaWithTheMergedWeight() {
        LoraConfig config = new LoraConfig(3, 12, 0, LoraInit.GAUSSIAN);
        PeftModel<MultiLayerNetwork> model = Peft.apply(LoraFixtures.mlp(DataType.DOUBLE), PeftConfig.builder()
                .method("lora").config(config).targets(LayerSelector.names("dense1")).build(), LoraFixtures.registry());
        MultiLayerNetwork net = model.network();
        Nd4j.getRandom().setSeed(3);
        INDArray a = net.getLayer(0).getParam("A");
        INDArray b = net.getLayer(0).getParam("B");
        b.assign(Nd4j.randn(DataType.DOUBLE, b.shape()));
        INDArray x = LoraFixtures.data(DataType.DOUBLE).getFeatures();

        double scale = 12.0 / 3;
        double[][] w = net.getLayer(0).getParam("W").toDoubleMatrix();
        double[][] av = a.toDoubleMatrix();
        double[][] bv = b.toDoubleMatrix();
        double[] bias = net.getLayer(0).getParam("b").toDoubleVector();
        double[][] xv = x.toDoubleMatrix();
        double[][] expected = new double[xv.length][w[0].length];
        for (int n = 0; n < xv.length; n++) {
            for (int o = 0; o < w[0].length; o++) {
                double z = bias[o];
                for (int i = 0; i < w.length; i++) {
                    double merged = w[i][o];
                    for (int r = 0; r < 3; r++) {
                        merged += scale * av[i][r] * bv[r][o];
                    }
                    z += xv[n][i] * merged;
                }
                expected[n][o] = Math.tanh(z);
            }
        }
        INDArray hidden = net.feedForwardToLayer(0, x, false).get(1);
        assertThat(Nets.maxRelativeError(hidden, Nd4j.createFromArray(expected))).isLessThan(1e-12);

        INDArray delta = ((MergeableLayer) net.getLayer(0)).baseDelta().get("W");
        assertThat(Nets.maxRelativeError(delta, a.mmul(b).muli(scale))).isLessThan(1e-14);
    }

    @Test
    void mergeResetsBToZeroAndRedrawsA() {
        PeftModel<MultiLayerNetwork> model = Peft.apply(LoraFixtures.mlp(DataType.FLOAT), PeftConfig.builder()
                .method("lora").config(LoraConfig.of(4, 4)).targets(LayerSelector.names("dense2")).build(),
                LoraFixtures.registry());
        DataSet data = LoraFixtures.data(DataType.FLOAT);
        Nets.fit(model.network(), data, 5);
        INDArray aBefore = model.network().getLayer(1).getParam("A").dup();
        model.mergeInPlace();
        INDArray a = model.network().getLayer(1).getParam("A");
        assertThat(model.network().getLayer(1).getParam("B").amaxNumber().doubleValue()).isZero();
        assertThat(a).isNotEqualTo(aBefore);
        double bound = 1 / Math.sqrt(7);
        assertThat(Transforms.abs(a).maxNumber().doubleValue()).isLessThanOrEqualTo(bound);
    }
}
