package org.peft4j.clora;

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
 * A {@link DenseLayer} adapted by CLoRA: {@code y = act(x·(W0 + ΔW) + b0)}, {@code W0 [nIn, nOut]},
 * {@code ΔW = s·Σ_h D_h·Q_h·U_h} with {@code D_h [nIn, r]} from the down pool of the layers with the same nIn
 * and {@code U_h [r, nOut]} from the up pool of the layers with the same nOut. Keys {@code W}, {@code b}
 * frozen; {@code Q [p, r, r]}, and in pool owners {@code D [nIn, p·r]} and {@code U [p·r, nOut]} (see
 * {@link CloraLayer}). Runtime {@link CloraDenseRuntime}.
 */
public class CloraDenseLayer extends DenseLayer implements CloraLayer {

    private CloraConfig clora;
    private CloraPlacement placement;

    /** For JSON. */
    public CloraDenseLayer() {
    }

    static CloraDenseLayer of(DenseLayer base, CloraConfig clora, CloraPlacement placement) {
        CloraDenseLayer layer = LayerConfigs.convert(base, CloraDenseLayer.class);
        layer.setClora(Objects.requireNonNull(clora, "clora"));
        layer.setPlacement(Objects.requireNonNull(placement, "placement"));
        return layer;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners, int index, INDArray paramsView, boolean initializeParams,
            DataType dataType) {
        LayerValidation.assertNInNOutSet("CloraDenseLayer", getLayerName(), index, getNIn(), getNOut());
        CloraDenseRuntime runtime = new CloraDenseRuntime(conf, dataType);
        return runtime.member().join(RuntimeLayers.wire(runtime, conf, listeners, index, paramsView, initializeParams),
                paramsView);
    }

    @Override
    public ParamInitializer initializer() {
        return CloraParamInitializer.DENSE;
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
    public long inDim() {
        return getNIn();
    }

    @Override
    public long outDim() {
        return getNOut();
    }

    @Override
    public long[] downShape() {
        return new long[] {getNIn(), clora.width()};
    }

    @Override
    public long[] upShape() {
        return new long[] {clora.width(), getNOut()};
    }

    @Override
    public INDArray downMatrix(INDArray down) {
        return down;
    }

    @Override
    public INDArray downParam(INDArray matrix) {
        return matrix;
    }

    @Override
    public INDArray upMatrix(INDArray up) {
        return up;
    }

    @Override
    public INDArray upParam(INDArray matrix) {
        return matrix;
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
        return LayerConfigs.convert(this, DenseLayer.class);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CloraDenseLayer other && super.equals(o) && Objects.equals(clora, other.clora)
                && Objects.equals(placement, other.placement);
    }

    @Override
    protected boolean canEqual(Object other) {
        return other instanceof CloraDenseLayer;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * super.hashCode() + Objects.hashCode(clora)) + Objects.hashCode(placement);
    }

    @Override
    public String toString() {
        return "CloraDenseLayer(" + clora + ", " + placement + ", " + super.toString() + ")";
    }
}
