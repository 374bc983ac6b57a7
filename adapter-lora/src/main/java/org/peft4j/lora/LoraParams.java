package org.peft4j.lora;

import java.util.Map;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The LoRA part shared by the dense and output runtime layers: reads the layer's parameters and
 * gradient views and applies {@link LoraBranch}. The frozen {@code W}/{@code b} gradient views
 * are never written.
 */
final class LoraParams {

    private final LoraConfig config;
    private final LoraBranch branch;

    LoraParams(LoraConfig config) {
        this.config = config;
        this.branch = new LoraBranch(config);
    }

    /** A new input: the next training pass draws a new dropout mask. */
    void newInput() {
        branch.clear();
    }

    /** Adds the branch to the pre-activation {@code z} [N, nOut] in place. */
    void addForward(LoraRuntime layer, INDArray z, boolean training) {
        branch.addForward(z, layer.currentInput().castTo(z.dataType()), layer.getParam(LoraLayer.A),
                layer.getParam(LoraLayer.B), training);
    }

    /**
     * Adapter gradients and the input gradient for {@code delta = dL/dz} [N, nOut].
     *
     * @return the gradient ({@code A}, {@code B} only) and dL/dx [N, nIn]
     */
    Pair<Gradient, INDArray> backward(LoraRuntime layer, INDArray delta, LayerWorkspaceMgr workspaceMgr) {
        INDArray w = layer.getParam(LoraLayer.WEIGHT);
        INDArray epsilon = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, delta.dataType(),
                new long[] {w.size(0), delta.size(0)}, 'f');
        epsilon = w.mmuli(delta.transpose(), epsilon).transpose();
        Map<String, INDArray> grads = layer.gradientViewMap();
        INDArray x = layer.currentInput().castTo(delta.dataType());
        branch.backward(x, delta, layer.getParam(LoraLayer.A), layer.getParam(LoraLayer.B),
                grads.get(LoraLayer.A), grads.get(LoraLayer.B), epsilon);
        Gradient gradient = new DefaultGradient();
        gradient.gradientForVariable().put(LoraLayer.A, grads.get(LoraLayer.A));
        gradient.gradientForVariable().put(LoraLayer.B, grads.get(LoraLayer.B));
        return new Pair<>(gradient, epsilon);
    }

    /** {@code W: s·A·B} [nIn, nOut]. */
    Map<String, INDArray> baseDelta(LoraRuntime layer) {
        return Map.of(LoraLayer.WEIGHT, branch.deltaWeight(layer.getParam(LoraLayer.A), layer.getParam(LoraLayer.B)));
    }

    /** After a merge: {@code B = 0}, {@code A} re-drawn. */
    void reset(LoraRuntime layer, long nIn) {
        layer.getParam(LoraLayer.B).assign(0);
        config.init().initialize(layer.getParam(LoraLayer.A), nIn, config.rank());
    }
}
