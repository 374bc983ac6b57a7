package org.peft4j.tcurlora;

import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.peft4j.spi.MergeableLayer;

/**
 * Runtime of {@link TcurloraDenseLayer}. Forward: DL4J's own dense code with the merged weight
 * {@code W0 + ΔW0}. Backward, with {@code δ = dL/dz [N, nOut]} and the layer input {@code x [N, nIn]}:
 * the input gradient {@code δ·(W0 + ΔW0)ᵀ}, and the layer's share of the core gradient from
 * {@code S_l = (δ·Cst)ᵀ·(x·Rstᵀ)} [r·n3, r·n3] ({@code = Cstᵀ·G_l·Rstᵀ} with the slice gradient
 * {@code G_l = δᵀ·x}, never formed). The gradient of the frozen {@code W0} and {@code b0} is never computed.
 */
public class TcurDenseRuntime extends BaseLayer<TcurloraDenseLayer> implements MergeableLayer {

    private final transient TcurMember member;

    TcurDenseRuntime(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
        this.member = new TcurMember((TcurloraDenseLayer) conf.getLayer());
    }

    TcurMember member() {
        return member;
    }

    /** DL4J's dense forward pass reads the weight through here: hand it the merged one. */
    @Override
    protected INDArray getParamWithNoise(String param, boolean training, LayerWorkspaceMgr workspaceMgr) {
        if (TcurLayer.WEIGHT.equals(param)) {
            return mergedWeight();
        }
        return super.getParamWithNoise(param, training, workspaceMgr);
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
        CurFactors factors = member.factors();
        INDArray e = delta.mmul(factors.cst(dataType));
        INDArray zr = x.mmul(factors.rst(dataType).transpose());
        member.contribute(e.transpose().mmul(zr), gradientViews);

        INDArray epsOut = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType,
                new long[] {x.size(0), x.size(1)}, 'f');
        Nd4j.gemm(delta, mergedWeight(), epsOut, false, true, 1.0, 0.0);
        Gradient gradient = new DefaultGradient();
        for (String key : layerConf().adapterKeys()) {
            gradient.setGradientFor(key, gradientViews.get(key));
        }
        weightNoiseParams.clear();
        return new Pair<>(gradient, backpropDropOutIfPresent(epsOut));
    }

    @Override
    public Map<String, INDArray> baseDelta() {
        INDArray w = getParam(TcurLayer.WEIGHT);
        return member.baseDelta(w, w.size(0), 1);
    }

    @Override
    public void resetAdapter() {
        member.reset();
    }

    @Override
    public Map<String, String> adapterState() {
        return member.state();
    }

    /** {@code W0 + ΔW0} [nIn, nOut]. */
    private INDArray mergedWeight() {
        INDArray w = getParam(TcurLayer.WEIGHT);
        INDArray delta = member.kernelDelta(w.dataType(), w.size(0), 1);
        return layerConf().weights(delta, w.shape()).addi(w);
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
