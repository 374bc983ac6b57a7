package org.peft4j.tcurlora;

import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
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
 * A {@link DenseLayer} adapted by tCURLoRA: {@code y = act(x·(W0 + ΔW0) + b0)} with DL4J's
 * {@code W0 [nIn, nOut]}; the layer's slice is {@code W0ᵀ [nOut, nIn]} and {@code ΔW0 = ΔW_lᵀ}
 * ({@link TensorCur}). Parameters in {@link TcurLayer}; runtime {@link TcurDenseRuntime}.
 */
public class TcurloraDenseLayer extends DenseLayer implements TcurLayer {

    private TcurloraConfig tcurlora;
    private TcurPlacement placement;

    /** For JSON. */
    public TcurloraDenseLayer() {
    }

    static TcurloraDenseLayer of(DenseLayer base, TcurloraConfig tcurlora, TcurPlacement placement) {
        TcurloraDenseLayer layer = LayerConfigs.convert(base, TcurloraDenseLayer.class);
        layer.setTcurlora(Objects.requireNonNull(tcurlora, "tcurlora"));
        layer.setPlacement(Objects.requireNonNull(placement, "placement"));
        return layer;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners, int index, INDArray paramsView, boolean initializeParams,
            DataType dataType) {
        LayerValidation.assertNInNOutSet("TcurloraDenseLayer", getLayerName(), index, getNIn(), getNOut());
        TcurDenseRuntime runtime = new TcurDenseRuntime(conf, dataType);
        return runtime.member().join(RuntimeLayers.wire(runtime, conf, listeners, index, paramsView, initializeParams),
                paramsView);
    }

    @Override
    public ParamInitializer initializer() {
        return TcurParamInitializer.DENSE;
    }

    @Override
    public IUpdater getUpdaterByParam(String key) {
        return FrozenKeys.updater(this, key, super.getUpdaterByParam(key));
    }

    @Override
    public List<Regularization> getRegularizationByParam(String key) {
        return FrozenKeys.regularization(this, key, super.getRegularizationByParam(key));
    }

    /** {@code W0ᵀ} as {@code [nOut, nIn, 1]}. */
    @Override
    public INDArray kernel3d(INDArray w) {
        return w.transpose().dup('c').reshape('c', w.size(1), w.size(0), 1);
    }

    @Override
    public INDArray weights(INDArray kernel, long[] wShape) {
        return kernel.reshape('c', kernel.size(0), kernel.size(1)).transpose().dup('c').reshape('c', wShape);
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
        return LayerConfigs.convert(this, DenseLayer.class);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TcurloraDenseLayer other && super.equals(o) && Objects.equals(tcurlora, other.tcurlora)
                && Objects.equals(placement, other.placement);
    }

    @Override
    protected boolean canEqual(Object other) {
        return other instanceof TcurloraDenseLayer;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * super.hashCode() + Objects.hashCode(tcurlora)) + Objects.hashCode(placement);
    }

    @Override
    public String toString() {
        return "TcurloraDenseLayer(" + tcurlora + ", " + placement + ", " + super.toString() + ")";
    }
}
