package org.peft4j.tcurlora;

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
import org.peft4j.layers.ConvLayout;
import org.peft4j.spi.FrozenKeys;
import org.peft4j.spi.LayerConfigs;
import org.peft4j.spi.RuntimeLayers;

/**
 * A 1D {@link Convolution1DLayer} (NCW or NWC) adapted by tCURLoRA: {@code z = (K0 + ΔK) ⊛ x + b0}; the kernel is read through DL4J's 1D weight layout
 * ({@link ConvLayout}), with
 * {@code ΔK} from the core of the layer's tensor ({@link TensorCur}); parameters in {@link TcurLayer}.
 */
public class TcurloraConvolution1DLayer extends Convolution1DLayer implements TcurLayer {

    private TcurloraConfig tcurlora;
    private TcurPlacement placement;

    /** For JSON. */
    public TcurloraConvolution1DLayer() {
    }

    static TcurloraConvolution1DLayer of(Convolution1DLayer base, TcurloraConfig tcurlora, TcurPlacement placement) {
        TcurloraConvolution1DLayer layer = LayerConfigs.convert(base, TcurloraConvolution1DLayer.class);
        layer.setTcurlora(Objects.requireNonNull(tcurlora, "tcurlora"));
        layer.setPlacement(Objects.requireNonNull(placement, "placement"));
        return layer;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners, int index, INDArray paramsView, boolean initializeParams,
            DataType dataType) {
        LayerValidation.assertNInNOutSet("TcurloraConvolution1DLayer", getLayerName(), index, getNIn(), getNOut());
        TcurConvBranch branch = new TcurConvBranch(this, getNIn(), 1, getKernelSize()[0]);
        return branch.member().join(RuntimeLayers.wire(new TcurConv1dRuntime(conf, dataType, branch), conf, listeners,
                index, paramsView, initializeParams), paramsView);
    }

    @Override
    public ParamInitializer initializer() {
        return TcurParamInitializer.CONVOLUTION;
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
        INDArray kernel = ConvLayout.kernel(this, w);
        return kernel.reshape('c', kernel.size(0), kernel.size(1), kernel.size(3));
    }

    @Override
    public INDArray weights(INDArray kernel, long[] wShape) {
        return ConvLayout.weights(this, kernel.reshape('c', kernel.size(0), kernel.size(1), 1, kernel.size(2)), wShape);
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
        return LayerConfigs.convert(this, Convolution1DLayer.class);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TcurloraConvolution1DLayer other && super.equals(o) && Objects.equals(tcurlora, other.tcurlora)
                && Objects.equals(placement, other.placement);
    }

    @Override
    protected boolean canEqual(Object other) {
        return other instanceof TcurloraConvolution1DLayer;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * super.hashCode() + Objects.hashCode(tcurlora)) + Objects.hashCode(placement);
    }

    @Override
    public String toString() {
        return "TcurloraConvolution1DLayer(" + tcurlora + ", " + placement + ", " + super.toString() + ")";
    }
}
