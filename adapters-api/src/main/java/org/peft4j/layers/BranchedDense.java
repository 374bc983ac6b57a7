package org.peft4j.layers;

import java.util.Collection;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.feedforward.dense.DenseLayer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.peft4j.spi.DenseBranch;

/**
 * DL4J's dense and output layer runtimes with a {@link DenseBranch} added to the pre-activation in training,
 * {@code z = x·W0 + b0 + branch(x)}: the inner runtime of an adapted dense layer whose adapter trains as a
 * branch (LoRA with dropout on the branch input). In inference they are DL4J's own layers on the merged weight.
 */
final class BranchedDense {

    private BranchedDense() {
    }

    /** What the branch computes with, attached by the layer's runtime. */
    interface Attached {
        void attach(Branch branch);
    }

    /** A branch and the adapter binding it reads its parameters from. */
    record Branch(DenseBranch branch, AdapterBinding binding) {

        /** {@code z + branch(x)} in training (in place), {@code z} otherwise. */
        INDArray addTo(INDArray z, INDArray input, boolean training) {
            return training ? z.addi(branch.forward(binding.parameters(), input.castTo(z.dataType()))) : z;
        }

        /** {@code dL/dx = δ·W0ᵀ + the branch's share}, after the branch wrote its parameter gradients. */
        INDArray inputGradient(Layer layer, INDArray input, INDArray delta, LayerWorkspaceMgr workspaceMgr) {
            INDArray w = layer.getParam(DefaultParamInitializer.WEIGHT_KEY);
            INDArray eps = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, delta.dataType(),
                    new long[] {delta.size(0), w.size(0)}, 'c');
            Nd4j.gemm(delta, w, eps, false, true, 1.0, 0.0);
            INDArray x = input.castTo(delta.dataType());
            eps.addi(branch.inputGradient(binding.parameters(), x, delta, binding.gradients(x.size(0),
                    layer.conf().isMiniBatch())));
            return eps;
        }
    }

    /** The inner runtime of {@code base}: a branched one when the adapter has a branch, else DL4J's own. */
    static Layer instantiate(org.deeplearning4j.nn.conf.layers.Layer base, NeuralNetConfiguration innerConf,
            Collection<TrainingListener> listeners, int index, INDArray view, DataType dataType,
            AdapterBinding binding) {
        if (binding == null || binding.adapter().branch().isEmpty()) {
            return base.instantiate(innerConf, listeners, index, view, false, dataType);
        }
        Layer layer = base instanceof OutputLayer ? new Output(innerConf, dataType) : new Dense(innerConf, dataType);
        layer.setListeners(listeners);
        layer.setIndex(index);
        layer.setParamsViewArray(view);
        layer.setParamTable(base.initializer().init(innerConf, view, false));
        layer.setConf(innerConf);
        ((Attached) layer).attach(new Branch(binding.adapter().branch().get(), binding));
        return layer;
    }

    /** True when {@code inner} trains through a branch. */
    static boolean active(Layer inner) {
        return inner instanceof Attached;
    }

    /** A DL4J dense layer with the branch. */
    static final class Dense extends DenseLayer implements Attached {

        private Branch branch;

        Dense(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        public void attach(Branch branch) {
            this.branch = branch;
        }

        @Override
        protected INDArray preOutput(boolean training, LayerWorkspaceMgr workspaceMgr) {
            INDArray z = branch.addTo(super.preOutput(training, workspaceMgr), input, training);
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
            INDArray eps = branch.inputGradient(this, input, delta, workspaceMgr);
            return new Pair<>(new DefaultGradient(), backpropDropOutIfPresent(eps));
        }
    }

    /** A DL4J output layer with the branch. */
    static final class Output extends org.deeplearning4j.nn.layers.OutputLayer implements Attached {

        private Branch branch;

        Output(NeuralNetConfiguration conf, DataType dataType) {
            super(conf, dataType);
        }

        @Override
        public void attach(Branch branch) {
            this.branch = branch;
        }

        @Override
        protected INDArray preOutput(boolean training, LayerWorkspaceMgr workspaceMgr) {
            INDArray z = branch.addTo(super.preOutput(training, workspaceMgr), input, training);
            if (maskArray != null) {
                applyMask(z);
            }
            return z;
        }

        @Override
        public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
            assertInputSet(true);
            INDArray preOut = preOutput2d(true, workspaceMgr);
            INDArray delta = layerConf().getLossFn().computeGradient(labels, preOut, layerConf().getActivationFn(),
                    maskArray);
            INDArray eps = branch.inputGradient(this, input, delta, workspaceMgr);
            return new Pair<>(new DefaultGradient(), backpropDropOutIfPresent(eps));
        }
    }
}
