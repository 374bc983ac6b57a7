package org.peft4j.lora;

import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseOutputLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.peft4j.spi.MergeableLayer;

/**
 * Runtime of {@link LoraOutputLayer}: DL4J's output layer (loss, activation, masks) with the
 * LoRA branch added to its pre-activation and gradients only for {@code A} and {@code B}.
 */
public class LoraOutputRuntime extends BaseOutputLayer<LoraOutputLayer> implements MergeableLayer, LoraRuntime {

    private final LoraParams lora;

    public LoraOutputRuntime(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
        this.lora = new LoraParams(((LoraOutputLayer) conf.getLayer()).getLora());
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
        Pair<Gradient, INDArray> out = gradientAndEpsilon(workspaceMgr);
        return new Pair<>(out.getFirst(), backpropDropOutIfPresent(out.getSecond()));
    }

    @Override
    public void computeGradientAndScore(LayerWorkspaceMgr workspaceMgr) {
        if (input == null || labels == null) {
            return;
        }
        this.gradient = gradientAndEpsilon(workspaceMgr).getFirst();
        this.score = computeScore(calcRegularizationScore(true), true, workspaceMgr);
    }

    private Pair<Gradient, INDArray> gradientAndEpsilon(LayerWorkspaceMgr workspaceMgr) {
        INDArray preOut = preOutput2d(true, workspaceMgr);
        INDArray delta = layerConf().getLossFn().computeGradient(getLabels2d(workspaceMgr, ArrayType.BP_WORKING_MEM),
                preOut, layerConf().getActivationFn(), maskArray);
        return lora.backward(this, delta, workspaceMgr);
    }

    @Override
    protected INDArray getLabels2d(LayerWorkspaceMgr workspaceMgr, ArrayType arrayType) {
        return labels;
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
    public INDArray currentInput() {
        return input;
    }

    @Override
    public Map<String, INDArray> gradientViewMap() {
        return gradientViews;
    }
}
