package org.peft4j.multimethod;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.peft4j.LayerSelector;
import org.peft4j.Peft;
import org.peft4j.PeftModel;
import org.peft4j.testkit.MixedNets;
import org.peft4j.testkit.Nets;

/**
 * A model with CoLoRA on its convolutions and LoRA on its dense layers (fc1 with rank 3 by a rank pattern, fc2
 * with alpha 1 by an alpha pattern) computes what a plain DL4J network computes whose weights get the deltas
 * added by hand, from the adapter parameters: {@code ΔW = (alpha / r)·A·B} for LoRA,
 * {@code ΔK[o, c, kh, kw] = Kd[o, kh, kw]·Kp[o, c]} and {@code Δb = db} for CoLoRA.
 */
class MultiMethodMergeTest {

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void adaptedAndMergedOutputsEqualAPlainNetworkWithHandAddedDeltas(DataType type) {
        PeftModel<MultiLayerNetwork> model = Peft.apply(MixedNets.mln(type), MultiMethodFixtures.rules()
                .rankPattern(LayerSelector.names("fc1"), 3).alphaPattern(LayerSelector.names("fc2"), 1.0)
                .updater(new NoOp()).build(), MultiMethodFixtures.registry());
        Nd4j.getRandom().setSeed(5);
        Map<String, INDArray> adapter = Nets.adapterParams(model.network());
        adapter.values().forEach(p -> p.assign(Nd4j.randn(type, p.shape()).muli(0.3)));
        assertThat(adapter.get("fc1/A").shape()).containsExactly(18, 3);
        assertThat(adapter.get("fc2/A").shape()).containsExactly(5, 2);

        MultiLayerNetwork byHand = MixedNets.mln(type);
        addLora(byHand, "fc1", adapter, 4.0 / 3);
        addLora(byHand, "fc2", adapter, 1.0 / 2);
        addColora(byHand, "conv1", adapter);
        addColora(byHand, "conv2", adapter);

        double tolerance = type == DataType.DOUBLE ? 1e-10 : 1e-5;
        INDArray x = MixedNets.mlnData(type).getFeatures();
        INDArray expected = byHand.output(x);
        assertThat(Nets.maxRelativeError(model.network().output(x), expected)).isLessThanOrEqualTo(tolerance);
        MultiLayerNetwork merged = model.mergeAndUnload();
        assertThat(Nets.maxRelativeError(merged.params(), byHand.params())).isLessThanOrEqualTo(tolerance);
        assertThat(Nets.maxRelativeError(merged.output(x), expected)).isLessThanOrEqualTo(tolerance);
        assertThat(Nets.maxRelativeError(expected, MixedNets.mln(type).output(x)))
                .as("the deltas must change the output").isGreaterThan(1e-3);
    }

    /** W [nIn, nOut] += scale·A [nIn, r]·B [r, nOut]. */
    private static void addLora(MultiLayerNetwork net, String layer, Map<String, INDArray> adapter, double scale) {
        INDArray w = net.getLayer(layer).getParam("W");
        w.addi(adapter.get(layer + "/A").mmul(adapter.get(layer + "/B")).muli(scale));
    }

    /** K [C_out, C_in, kh, kw] += Kd [C_out, kh, kw]·Kp [C_out, C_in], element by element; b += db. */
    private static void addColora(MultiLayerNetwork net, String layer, Map<String, INDArray> adapter) {
        INDArray k = net.getLayer(layer).getParam("W");
        INDArray kp = adapter.get(layer + "/Kp");
        INDArray kd = adapter.get(layer + "/Kd");
        long[] s = k.shape();
        for (int o = 0; o < s[0]; o++) {
            for (int c = 0; c < s[1]; c++) {
                for (int h = 0; h < s[2]; h++) {
                    for (int w = 0; w < s[3]; w++) {
                        k.putScalar(new long[] {o, c, h, w},
                                k.getDouble(o, c, h, w) + kd.getDouble(o, h, w) * kp.getDouble(o, c));
                    }
                }
            }
        }
        if (adapter.containsKey(layer + "/db")) {
            INDArray b = net.getLayer(layer).getParam("b");
            b.addi(adapter.get(layer + "/db").reshape(b.shape()));
        }
    }
}
