package org.peft4j.clora;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.peft4j.spi.FrozenKeys;
import org.peft4j.spi.LayerConfigs;
import org.peft4j.spi.RuntimeLayers;

/**
 * A 1D {@link Convolution1DLayer} (NCW or NWC; Same, Truncate, Strict or Causal) adapted by CLoRA:
 * {@code z = (K0 + ΔK) ⊛ x + b0} with {@code ΔK[o, c, t] = s·Σ_(k,l) U[o, k]·blockdiag(Q)[l, k]·D[l, c, t]}: a down
 * convolution with the pool's p·r kernels {@code D [p·r, C_in, k]} (the layer's stride, padding, mode and
 * dilation), the 1x1 step {@code blockdiag(Q)ᵀ} and the 1x1 up map {@code U [C_out, p·r]}. {@code W} keeps DL4J's
 * 1D layout ({@code [C_out, C_in, k, 1]} read as {@code [k, C_in, C_out]}, see {@link org.peft4j.layers.ConvLayout});
 * merges write {@code ΔK} in it. The down pool is shared by the 1D layers with the same {@code (C_in, k)}, the up
 * pool by the 1D layers with the same {@code C_out}. Maths in {@link CloraConvBranch}; runtime {@link CloraConv1dRuntime}.
 */
public class CloraConvolution1DLayer extends Convolution1DLayer implements CloraConvLayer {

    private CloraConfig clora;
    private CloraPlacement placement;

    /** For JSON. */
    public CloraConvolution1DLayer() {
    }

    static CloraConvolution1DLayer of(Convolution1DLayer base, CloraConfig clora, CloraPlacement placement) {
        CloraConvolution1DLayer layer = LayerConfigs.convert(base, CloraConvolution1DLayer.class);
        layer.setClora(Objects.requireNonNull(clora, "clora"));
        layer.setPlacement(Objects.requireNonNull(placement, "placement"));
        return layer;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners, int index, INDArray paramsView, boolean initializeParams,
            DataType dataType) {
        LayerValidation.assertNInNOutSet("CloraConvolution1DLayer", getLayerName(), index, getNIn(), getNOut());
        CloraConvBranch branch = new CloraConvBranch(this);
        CloraConv1dRuntime runtime = new CloraConv1dRuntime(conf, dataType, branch);
        return branch.member().join(RuntimeLayers.wire(runtime, conf, listeners, index, paramsView, initializeParams),
                paramsView);
    }

    @Override
    public ParamInitializer initializer() {
        return CloraParamInitializer.CONVOLUTION;
    }

    @Override
    public IUpdater getUpdaterByParam(String key) {
        return FrozenKeys.updater(this, key, super.getUpdaterByParam(key));
    }

    @Override
    public List<Regularization> getRegularizationByParam(String key) {
        return FrozenKeys.regularization(this, key, super.getRegularizationByParam(key));
    }

    /** {@code {k}}. */
    @Override
    public int[] spatialKernel() {
        return new int[] {getKernelSize()[0]};
    }

    @Override
    public CloraConfig getClora() {
        return clora;
    }

    public void setClora(CloraConfig clora) {
        this.clora = clora;
    }

    @Override
    public CloraPlacement getPlacement() {
        return placement;
    }

    public void setPlacement(CloraPlacement placement) {
        this.placement = placement;
    }

    @Override
    public Layer baseLayer() {
        return LayerConfigs.convert(this, Convolution1DLayer.class);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CloraConvolution1DLayer other && super.equals(o) && Objects.equals(clora, other.clora)
                && Objects.equals(placement, other.placement);
    }

    @Override
    protected boolean canEqual(Object other) {
        return other instanceof CloraConvolution1DLayer;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * super.hashCode() + Objects.hashCode(clora)) + Objects.hashCode(placement);
    }

    @Override
    public String toString() {
        return "CloraConvolution1DLayer(" + clora + ", " + placement + ", " + super.toString() + ")";
    }
}
