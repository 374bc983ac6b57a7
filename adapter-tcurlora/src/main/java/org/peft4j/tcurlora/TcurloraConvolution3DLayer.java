package org.peft4j.tcurlora;

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
 * A {@link Convolution3D} (NCDHW or NDHWC) adapted by tCURLoRA: {@code z = (K0 + ΔK) ⊛ x + b0}, with
 * {@code ΔK} from the core of the layer's tensor ({@link TensorCur}); parameters in {@link TcurLayer}.
 */
public class TcurloraConvolution3DLayer extends Convolution3D implements TcurLayer {

    private TcurloraConfig tcurlora;
    private TcurPlacement placement;

    /** For JSON. */
    public TcurloraConvolution3DLayer() {
    }

    static TcurloraConvolution3DLayer of(Convolution3D base, TcurloraConfig tcurlora, TcurPlacement placement) {
        TcurloraConvolution3DLayer layer = LayerConfigs.convert(base, TcurloraConvolution3DLayer.class);
        layer.setTcurlora(Objects.requireNonNull(tcurlora, "tcurlora"));
        layer.setPlacement(Objects.requireNonNull(placement, "placement"));
        return layer;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners, int index, INDArray paramsView, boolean initializeParams,
            DataType dataType) {
        LayerValidation.assertNInNOutSet("TcurloraConvolution3DLayer", getLayerName(), index, getNIn(), getNOut());
        TcurConv3dRuntime runtime = new TcurConv3dRuntime(conf, dataType);
        return runtime.member().join(RuntimeLayers.wire(runtime, conf, listeners, index, paramsView, initializeParams),
                paramsView);
    }

    @Override
    public ParamInitializer initializer() {
        return TcurParamInitializer.CONVOLUTION_3D;
    }

    @Override
    public IUpdater getUpdaterByParam(String key) {
        return FrozenKeys.updater(this, key, super.getUpdaterByParam(key));
    }

    @Override
    public List<Regularization> getRegularizationByParam(String key) {
        return FrozenKeys.regularization(this, key, super.getRegularizationByParam(key));
    }

    @Override
    public INDArray kernel3d(INDArray w) {
        return w.dup('c').reshape('c', w.size(0), w.size(1), w.size(2) * w.size(3) * w.size(4));
    }

    @Override
    public INDArray weights(INDArray kernel, long[] wShape) {
        return kernel.dup('c').reshape('c', wShape);
    }

    @Override
    public TcurloraConfig getTcurlora() {
        return tcurlora;
    }

    public void setTcurlora(TcurloraConfig tcurlora) {
        this.tcurlora = tcurlora;
    }

    @Override
    public TcurPlacement getPlacement() {
        return placement;
    }

    public void setPlacement(TcurPlacement placement) {
        this.placement = placement;
    }

    @Override
    public Layer baseLayer() {
        return LayerConfigs.convert(this, Convolution3D.class);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TcurloraConvolution3DLayer other && super.equals(o) && Objects.equals(tcurlora, other.tcurlora)
                && Objects.equals(placement, other.placement);
    }

    @Override
    protected boolean canEqual(Object other) {
        return other instanceof TcurloraConvolution3DLayer;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * super.hashCode() + Objects.hashCode(tcurlora)) + Objects.hashCode(placement);
    }

    @Override
    public String toString() {
        return "TcurloraConvolution3DLayer(" + tcurlora + ", " + placement + ", " + super.toString() + ")";
    }
}
