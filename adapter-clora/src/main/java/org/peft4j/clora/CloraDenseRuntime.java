package org.peft4j.clora;

import java.util.HashMap;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.peft4j.spi.MergeableLayer;

/**
 * Runtime of {@link CloraDenseLayer}, never forming {@code W0 + ΔW} nor the gradient of {@code W0}. With the
 * layer input {@code x [N, nIn]}, {@code A = Dcat·blockdiag(Q) [nIn, p·r]}, {@code Ucat [p·r, nOut]} and
 * {@code δ = dL/dz [N, nOut]}:
 *
 * <pre>
 *   z     = x·W0 + b0 + s·(x·A)·Ucat                 = x·W0 + b0 + s·Σ_h ((x·D_h)·Q_h)·U_h
 *   dUcat = s·(x·A)ᵀ·δ,   E = s·δ·Ucatᵀ [N, p·r],   Z = xᵀ·E = dL/dA   (then {@link CloraMember#backward})
 *   dL/dx = δ·W0ᵀ + E·Aᵀ
 * </pre>
 *
 * The training score adds this module's SADE ({@link #calcRegularizationScore}), and its gradient is added in
 * the backward pass.
 */
public class CloraDenseRuntime extends BaseLayer<CloraDenseLayer> implements MergeableLayer {

    private final transient CloraMember member;

    CloraDenseRuntime(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
        this.member = new CloraMember((CloraDenseLayer) conf.getLayer());
    }

    CloraMember member() {
        return member;
    }

    @Override
    protected INDArray preOutput(boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray z = super.preOutput(training, workspaceMgr);
        INDArray x = input.castTo(z.dataType());
        z.addi(x.mmul(member.mixedDown(getParam(CloraLayer.MIX))).mmul(member.upMatrix()).muli(member.scale()));
        if (maskArray != null) {
            applyMask(z);
        }
        return z;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        INDArray z = preOutput(true, workspaceMgr);
        INDArray delta = layerConf().getActivationFn().backprop(z, epsilon).getFirst();
        if (maskArray != null) {
            applyMask(delta);
        }
        INDArray x = input.castTo(dataType);
        INDArray mix = getParam(CloraLayer.MIX);
        INDArray a = member.mixedDown(mix);
        INDArray up = member.upMatrix();
        double s = member.scale();
        INDArray gradUp = x.mmul(a).transpose().mmul(delta).muli(s);
        INDArray e = delta.mmul(up.transpose()).muli(s);
        member.backward(x.size(0), mix, x.transpose().mmul(e), gradUp, gradientViews);

        INDArray w = getParam(CloraLayer.WEIGHT);
        INDArray epsOut = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType,
                new long[] {x.size(0), x.size(1)}, 'f');
        Nd4j.gemm(delta, w, epsOut, false, true, 1.0, 0.0);
        Nd4j.gemm(e, a, epsOut, false, true, 1.0, 1.0);
        Gradient gradient = new DefaultGradient();
        for (String key : layerConf().adapterKeys()) {
            gradient.setGradientFor(key, gradientViews.get(key));
        }
        weightNoiseParams.clear();
        return new Pair<>(gradient, backpropDropOutIfPresent(epsOut));
    }

    /** The regularisation DL4J adds to the score (L1, L2 of the adapter keys) plus this module's lambda·SADE. */
    @Override
    public double calcRegularizationScore(boolean backpropParamsOnly) {
        return super.calcRegularizationScore(backpropParamsOnly) + member.sadeScore(getParam(CloraLayer.MIX));
    }

    @Override
    public Map<String, INDArray> baseDelta() {
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            Map<String, INDArray> delta = new HashMap<>();
            delta.put(CloraLayer.WEIGHT, member.deltaMatrix(getParam(CloraLayer.MIX), DataType.DOUBLE));
            return delta;
        }
    }

    @Override
    public void resetAdapter() {
        member.reset(paramTable());
    }

    @Override
    public Map<String, String> adapterState() {
        return member.state();
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public boolean hasBias() {
        return layerConf().hasBias();
    }
}
