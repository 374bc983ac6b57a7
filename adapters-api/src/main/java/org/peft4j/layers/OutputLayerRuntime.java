package org.peft4j.layers;

import java.util.List;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.peft4j.spi.LayerPlan;
import org.peft4j.spi.WeightShape;

/**
 * {@link LayerRuntime} of an output layer: an {@link IOutputLayer} whose loss, labels and scores are the wrapped
 * DL4J output layer's, computed on the merged weights.
 */
public class OutputLayerRuntime extends LayerRuntime implements IOutputLayer {

    OutputLayerRuntime(NeuralNetConfiguration conf, Layer inner, WeightShape weight, AdapterBinding adapter,
            LayerPlan plan, boolean inputGradient, MergedWeights merged) {
        super(conf, inner, weight, adapter, plan, inputGradient, merged);
    }

    private IOutputLayer output() {
        return (IOutputLayer) inner();
    }

    @Override
    public boolean needsLabels() {
        return output().needsLabels();
    }

    @Override
    public void setLabels(INDArray labels) {
        output().setLabels(labels);
    }

    @Override
    public INDArray getLabels() {
        return output().getLabels();
    }

    @Override
    public double computeScore(double fullNetworkRegScore, boolean training, LayerWorkspaceMgr workspaceMgr) {
        prepare(training);
        return output().computeScore(fullNetworkRegScore, training, workspaceMgr);
    }

    @Override
    public INDArray computeScoreForExamples(double fullNetworkRegScore, LayerWorkspaceMgr workspaceMgr) {
        prepare(false);
        return output().computeScoreForExamples(fullNetworkRegScore, workspaceMgr);
    }

    @Override
    public double score() {
        return inner().score();
    }

    @Override
    public double f1Score(DataSet data) {
        prepare(false);
        return output().f1Score(data);
    }

    @Override
    public double f1Score(INDArray examples, INDArray labels) {
        prepare(false);
        return output().f1Score(examples, labels);
    }

    @Override
    @Deprecated
    public int numLabels() {
        return output().numLabels();
    }

    @Override
    public int[] predict(INDArray examples) {
        prepare(false);
        return output().predict(examples);
    }

    @Override
    public List<String> predict(DataSet dataSet) {
        prepare(false);
        return output().predict(dataSet);
    }

    @Override
    public void fit(DataSetIterator iter) {
        throw standalone();
    }

    @Override
    public void fit(INDArray examples, INDArray labels) {
        throw standalone();
    }

    @Override
    public void fit(DataSet data) {
        throw standalone();
    }

    @Override
    public void fit(INDArray examples, int[] labels) {
        throw standalone();
    }

    private void prepare(boolean training) {
        merged().prepare(inner(), training && binding() != null && BranchedDense.active(inner()));
    }

    private IllegalStateException standalone() {
        return new IllegalStateException("output layer '" + layerName() + "' is trained as part of its network; call "
                + "fit on the network");
    }
}
