package org.peft4j.clora;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
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
 * A {@link Convolution3D} (NCDHW or NDHWC) adapted by CLoRA: {@code z = (K0 + ΔK) ⊛ x + b0}, {@code K0
 * [C_out, C_in, kD, kH, kW]}, with {@code ΔK[o, c, t] = s·Σ_(k,l) U[o, k]·blockdiag(Q)[l, k]·D[l, c, t]} over the
 * taps t: a down convolution with the pool's p·r kernels {@code D [p·r, C_in, kD, kH, kW]} (the layer's own
 * stride, padding, mode and dilation), the 1x1x1 step {@code blockdiag(Q)ᵀ} and the 1x1x1 up map
 * {@code U [C_out, p·r]}. The down pool is shared by the 3D layers with the same {@code (C_in, kD, kH, kW)}, the
 * up pool by the 3D layers with the same {@code C_out}. Runtime {@link CloraConv3dRuntime}.
 */
public class CloraConvolution3DLayer extends Convolution3D implements CloraConvLayer {

    private CloraConfig clora;
    private CloraPlacement placement;

    /** For JSON. */
    public CloraConvolution3DLayer() {
    }

    static CloraConvolution3DLayer of(Convolution3D base, CloraConfig clora, CloraPlacement placement) {
        CloraConvolution3DLayer layer = LayerConfigs.convert(base, CloraConvolution3DLayer.class);
        layer.setClora(Objects.requireNonNull(clora, "clora"));
        layer.setPlacement(Objects.requireNonNull(placement, "placement"));
        return layer;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners, int index, INDArray paramsView, boolean initializeParams,
            DataType dataType) {
        LayerValidation.assertNInNOutSet("CloraConvolution3DLayer", getLayerName(), index, getNIn(), getNOut());
        CloraConv3dRuntime runtime = new CloraConv3dRuntime(conf, dataType);
        return runtime.member().join(RuntimeLayers.wire(runtime, conf, listeners, index, paramsView, initializeParams),
                paramsView);
    }

    @Override
    public ParamInitializer initializer() {
        return CloraParamInitializer.CONVOLUTION_3D;
    }

    @Override
    public IUpdater getUpdaterByParam(String key) {
        return FrozenKeys.updater(this, key, super.getUpdaterByParam(key));
    }

    @Override
    public List<Regularization> getRegularizationByParam(String key) {
        return FrozenKeys.regularization(this, key, super.getRegularizationByParam(key));
    }

    /** {@code {kD, kH, kW}}. */
    @Override
    public int[] spatialKernel() {
        return getKernelSize().clone();
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
        return LayerConfigs.convert(this, Convolution3D.class);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CloraConvolution3DLayer other && super.equals(o) && Objects.equals(clora, other.clora)
                && Objects.equals(placement, other.placement);
    }

    @Override
    protected boolean canEqual(Object other) {
        return other instanceof CloraConvolution3DLayer;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * super.hashCode() + Objects.hashCode(clora)) + Objects.hashCode(placement);
    }

    @Override
    public String toString() {
        return "CloraConvolution3DLayer(" + clora + ", " + placement + ", " + super.toString() + ")";
    }
}
