package org.peft4j.layers;

import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * A frozen output layer. DL4J's frozen wrapper is not an {@link IOutputLayer}, so a
 * MultiLayerNetwork refuses to train with it and a ComputationGraph scores it as 0; this runtime
 * is one, delegating loss and labels to the wrapped output layer.
 */
public class FrozenOutputRuntime extends FrozenWithBackpropRuntime implements IOutputLayer {

    private final IOutputLayer output;

    public FrozenOutputRuntime(Layer insideLayer) {
        super(insideLayer);
        this.output = (IOutputLayer) insideLayer;
    }

    @Override
    public boolean needsLabels() {
        return output.needsLabels();
    }

    @Override
    public void setLabels(INDArray labels) {
        output.setLabels(labels);
    }

    @Override
    public INDArray getLabels() {
        return output.getLabels();
    }

    @Override
    public double computeScore(double fullNetworkRegScore, boolean training, LayerWorkspaceMgr workspaceMgr) {
        return output.computeScore(fullNetworkRegScore, training, workspaceMgr);
    }

    @Override
    public INDArray computeScoreForExamples(double fullNetworkRegScore, LayerWorkspaceMgr workspaceMgr) {
        return output.computeScoreForExamples(fullNetworkRegScore, workspaceMgr);
    }

    @Override
    public double f1Score(DataSet data) {
        return output.f1Score(data);
    }

    @Override
    public double f1Score(INDArray examples, INDArray labels) {
        return output.f1Score(examples, labels);
    }

    @Override
    @Deprecated
    public int numLabels() {
        return output.numLabels();
    }

    @Override
    public int[] predict(INDArray examples) {
        return output.predict(examples);
    }

    @Override
    public List<String> predict(DataSet dataSet) {
        return output.predict(dataSet);
    }

    @Override
    public void fit(DataSetIterator iter) {
        throw frozen();
    }

    @Override
    public void fit(INDArray examples, INDArray labels) {
        throw frozen();
    }

    @Override
    public void fit(DataSet data) {
        throw frozen();
    }

    @Override
    public void fit(INDArray examples, int[] labels) {
        throw frozen();
    }

    private IllegalStateException frozen() {
        return new IllegalStateException("output layer " + layerId() + " is frozen; fit the network instead");
    }
}
