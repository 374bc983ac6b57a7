package org.peft4j.lora;

import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.peft4j.spi.MergeableLayer;

/** Runtime of {@link LoraDenseLayer}; the maths is in {@link LoraBranch}. */
public class LoraDenseRuntime extends BaseLayer<LoraDenseLayer> implements MergeableLayer, LoraRuntime {

    private final LoraParams lora;

    public LoraDenseRuntime(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
        this.lora = new LoraParams(((LoraDenseLayer) conf.getLayer()).getLora());
    }

    @Override
    public void setInput(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        lora.newInput();
        super.setInput(input, workspaceMgr);
    }

    @Override
    protected INDArray preOutput(boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray z = super.preOutput(training, workspaceMgr);
        lora.addForward(this, z, training);
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
        Pair<Gradient, INDArray> out = lora.backward(this, delta, workspaceMgr);
        return new Pair<>(out.getFirst(), backpropDropOutIfPresent(out.getSecond()));
    }

    @Override
    public Map<String, INDArray> baseDelta() {
        return lora.baseDelta(this);
    }

    @Override
    public void resetAdapter() {
        lora.reset(this, layerConf().getNIn());
    }

    @Override
    public boolean hasBias() {
        return layerConf().hasBias();
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public INDArray currentInput() {
        return input;
    }

    @Override
    public Map<String, INDArray> gradientViewMap() {
        return gradientViews;
    }
}
