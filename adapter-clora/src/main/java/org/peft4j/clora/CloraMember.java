package org.peft4j.clora;

import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.peft4j.layers.SharedGroup;
import org.peft4j.spi.ParameterGroup;

/**
 * One CLoRA module at run time: reads its down and up pools (live views of the pool owners' {@code D} and
 * {@code U}, through two {@link SharedGroup}s that may have different owners) and its own mixing matrices
 * {@code Q}; gives the layer its update {@code ΔW = s·Dcat·blockdiag(Q)·Ucat} [d_in, d_out] (s = alpha / r);
 * adds SADE to the gradients and hands the pool gradients to the pools' owners. Used by every CLoRA runtime.
 *
 * <p>Gradients, given {@code Z = ∂L/∂(Dcat·blockdiag(Q)) [d_in, p·r]} (from the layer's branch):
 * {@code ∂L/∂Dcat = Z·blockdiag(Q)ᵀ} and {@code ∂L/∂Q_h} = block h of {@code Dcatᵀ·Z}.
 */
final class CloraMember {

    private final CloraLayer layer;
    private final double pairWeight;
    private SharedGroup down;
    private SharedGroup up;
    private boolean miniBatch = true;

    CloraMember(CloraLayer layer) {
        this.layer = layer;
        this.pairWeight = Sade.pairWeight(layer.getClora(), layer.getPlacement().modules());
    }

    /** Joins both pools once the runtime has its parameter views; returns {@code runtime}. */
    <L extends Layer> L join(L runtime, INDArray paramsView) {
        CloraPlacement placement = layer.getPlacement();
        this.down = SharedGroup.join(placement.down(), layer.getLayerName(), runtime, paramsView);
        this.up = SharedGroup.join(placement.up(), layer.getLayerName(), runtime, paramsView);
        this.miniBatch = runtime.conf().isMiniBatch();
        return runtime;
    }

    /** The scale {@code s = alpha / r}. */
    double scale() {
        return layer.getClora().scale();
    }

    /** {@code Dcat [d_in, p·r]} (a live view of the down pool). */
    INDArray downMatrix() {
        return layer.downMatrix(pool(down).ownerParam(CloraLayer.DOWN));
    }

    /** {@code Ucat [p·r, d_out]} (a live view of the up pool). */
    INDArray upMatrix() {
        return layer.upMatrix(pool(up).ownerParam(CloraLayer.UP));
    }

    /** {@code Dcat·blockdiag(Q) [d_in, p·r]}: the module's effective down projection, a new array. */
    INDArray mixedDown(INDArray mix) {
        return downMatrix().mmul(MixingBlocks.blockDiagonal(mix));
    }

    /** {@code ΔW = s·Dcat·blockdiag(Q)·Ucat [d_in, d_out]} in {@code type}, a new array. */
    INDArray deltaMatrix(INDArray mix, DataType type) {
        INDArray d = downMatrix().castTo(type);
        INDArray q = MixingBlocks.blockDiagonal(mix.castTo(type));
        return d.mmul(q).mmul(upMatrix().castTo(type)).muli(scale());
    }

    /**
     * {@code ΔK = s·(Dcat·blockdiag(Q)·Ucat)ᵀ} as a kernel of shape {@code shape} ({@code [C_out, C_in, k...]}, whose
     * trailing axes in c order are {@code d_in}), in {@code type}, a new array.
     */
    INDArray kernelDelta(INDArray mix, DataType type, long... shape) {
        return deltaMatrix(mix, type).transpose().dup('c').reshape('c', shape);
    }

    /** The module's effective down kernels {@code A = (Dcat·blockdiag(Q))ᵀ [p·r, d_in]} in {@code type}, c order, a new array. */
    INDArray downKernels(INDArray mix, DataType type) {
        return mixedDown(mix).transpose().castTo(type).dup('c');
    }

    /** The up map {@code B = Ucatᵀ [d_out, p·r]} in {@code type}, c order, a new array. */
    INDArray upMap(DataType type) {
        return upMatrix().transpose().castTo(type).dup('c');
    }

    /** {@code lambda·SADE} of this module (0 when lambda = 0 or p = 1). */
    double sadeScore(INDArray mix) {
        if (pairWeight == 0) {
            return 0;
        }
        return Sade.value(downMatrix(), mix, upMatrix(), pairWeight);
    }

    /**
     * Writes the module's gradients: {@code Q} into its own view, {@code D} and {@code U} to their pools (the
     * owner of a pool, backpropagated after every other member, writes its own share plus the others').
     * SADE's gradient is added here, multiplied by the minibatch size: DL4J's updater divides the whole
     * gradient by it (the task loss's gradient is a sum over the examples), while SADE, like L1 and L2, is added
     * to the score once per minibatch.
     *
     * @param batch    the minibatch size N
     * @param mix      this layer's {@code Q} [p, r, r]
     * @param z        {@code ∂L_task/∂(Dcat·blockdiag(Q)) [d_in, p·r]}
     * @param gradUp   {@code ∂L_task/∂Ucat [p·r, d_out]}
     * @param views    the layer's gradient views
     */
    void backward(long batch, INDArray mix, INDArray z, INDArray gradUp, Map<String, INDArray> views) {
        int p = layer.getClora().pool();
        int r = layer.getClora().rank();
        INDArray d = downMatrix();
        INDArray gradDown = z.mmul(MixingBlocks.blockDiagonal(mix).transpose());
        INDArray gradMix = MixingBlocks.diagonalBlocks(d.transpose().mmul(z), p, r);
        if (pairWeight != 0) {
            Sade.Result sade = Sade.evaluate(d, mix, upMatrix(), pairWeight * (miniBatch ? batch : 1));
            DataType type = z.dataType();
            gradDown.addi(sade.down().castTo(type));
            gradMix.addi(sade.mix().castTo(type));
            gradUp = gradUp.add(sade.up().castTo(type));
        }
        views.get(CloraLayer.MIX).assign(gradMix);
        share(pool(down), CloraLayer.DOWN, layer.downParam(gradDown), layer.ownsDown(), views);
        share(pool(up), CloraLayer.UP, layer.upParam(gradUp), layer.ownsUp(), views);
    }

    private static void share(SharedGroup pool, String key, INDArray gradient, boolean owner, Map<String, INDArray> views) {
        if (!owner) {
            pool.accumulate(key, gradient);
            return;
        }
        INDArray pending = pool.takeAccumulated(key);
        INDArray view = views.get(key);
        view.assign(pending == null ? gradient : gradient.add(pending.reshape(gradient.shape()).castTo(gradient.dataType())));
    }

    /**
     * After a merge: {@code Q = I}; the owner of the down pool draws {@code D} again, the owner of the up pool
     * zeroes {@code U}; pending contributions are dropped.
     */
    void reset(Map<String, INDArray> params) {
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            MixingBlocks.identity(params.get(CloraLayer.MIX));
            if (layer.ownsDown()) {
                CloraParamInitializer.drawDown(params.get(CloraLayer.DOWN), layer.inDim());
            }
            if (layer.ownsUp()) {
                params.get(CloraLayer.UP).assign(0);
            }
            pool(down).clearAccumulated();
            pool(up).clearAccumulated();
        }
    }

    /** The pools this module draws from, as adapter-file state: a file whose pools differ is refused. */
    Map<String, String> state() {
        Map<String, String> state = new LinkedHashMap<>();
        state.put("down pool", describe(layer.getPlacement().down()));
        state.put("up pool", describe(layer.getPlacement().up()));
        state.put("modules", String.valueOf(layer.getPlacement().modules()));
        return state;
    }

    private static String describe(ParameterGroup group) {
        return group.id() + " " + group.members();
    }

    private SharedGroup pool(SharedGroup group) {
        if (group == null) {
            throw new IllegalStateException("CLoRA layer '" + layer.getLayerName() + "' was used before its runtime "
                    + "joined its pools " + layer.getPlacement().down().id() + " and " + layer.getPlacement().up().id());
        }
        return group;
    }
}
