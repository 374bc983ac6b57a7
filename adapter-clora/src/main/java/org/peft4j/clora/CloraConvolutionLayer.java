package org.peft4j.clora;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
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
 * A 2D {@link ConvolutionLayer} (NCHW or NHWC) adapted by CLoRA: {@code z = (K0 + ΔK) ⊛ x + b0}, where the
 * branch is a down convolution with the pool's p·r kernels {@code D [p·r, C_in, kH, kW]} (the layer's own
 * stride, padding and dilation), the 1x1 step {@code blockdiag(Q)ᵀ} and the 1x1 up map {@code U [C_out, p·r]}:
 * {@code ΔK[o, c, i, j] = s·Σ_(k,l) U[o, k]·blockdiag(Q)[l, k]·D[l, c, i, j]}. The down pool is shared by the
 * layers with the same {@code (C_in, kH, kW)}, the up pool by those with the same {@code C_out}. Keys in
 * {@link CloraLayer}; maths in {@link CloraConvBranch}; runtime {@link CloraConvRuntime}.
 */
public class CloraConvolutionLayer extends ConvolutionLayer implements CloraConvLayer {

    private CloraConfig clora;
    private CloraPlacement placement;

    /** For JSON. */
    public CloraConvolutionLayer() {
    }

    static CloraConvolutionLayer of(ConvolutionLayer base, CloraConfig clora, CloraPlacement placement) {
        CloraConvolutionLayer layer = LayerConfigs.convert(base, CloraConvolutionLayer.class);
        layer.setClora(Objects.requireNonNull(clora, "clora"));
        layer.setPlacement(Objects.requireNonNull(placement, "placement"));
        return layer;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners, int index, INDArray paramsView, boolean initializeParams,
            DataType dataType) {
        LayerValidation.assertNInNOutSet("CloraConvolutionLayer", getLayerName(), index, getNIn(), getNOut());
        CloraConvBranch branch = new CloraConvBranch(this);
        CloraConvRuntime runtime = new CloraConvRuntime(conf, dataType, branch);
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

    /** {@code {kH, kW}}. */
    @Override
    public int[] spatialKernel() {
        return new int[] {getKernelSize()[0], getKernelSize()[1]};
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
        return LayerConfigs.convert(this, ConvolutionLayer.class);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CloraConvolutionLayer other && super.equals(o) && Objects.equals(clora, other.clora)
                && Objects.equals(placement, other.placement);
    }

    @Override
    protected boolean canEqual(Object other) {
        return other instanceof CloraConvolutionLayer;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * super.hashCode() + Objects.hashCode(clora)) + Objects.hashCode(placement);
    }

    @Override
    public String toString() {
        return "CloraConvolutionLayer(" + clora + ", " + placement + ", " + super.toString() + ")";
    }
}
