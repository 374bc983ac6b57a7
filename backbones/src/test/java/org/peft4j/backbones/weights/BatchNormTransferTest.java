package org.peft4j.backbones.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class BatchNormTransferTest {

    private static ComputationGraph net(boolean logStd, long seed) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.DOUBLE)
                .graphBuilder().addInputs("in")
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(4).build(), "in")
                .addLayer("bn", new BatchNormalization.Builder().useLogStd(logStd).build(), "conv")
                .addLayer("out", new OutputLayer.Builder().nOut(2).activation(Activation.SOFTMAX).build(), "bn")
                .setOutputs("out").setInputTypes(InputType.convolutional(6, 6, 2)).build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    @Test
    void runningVarianceMovesBetweenVarAndLog10StdevWithTheSameOutputs() {
        ComputationGraph source = net(false, 1);
        source.getLayer("bn").getParam("mean").assign(Nd4j.rand(DataType.DOUBLE, 1, 4));
        source.getLayer("bn").getParam("var").assign(Nd4j.rand(DataType.DOUBLE, 1, 4).addi(0.1));
        source.getLayer("bn").getParam("gamma").assign(Nd4j.rand(DataType.DOUBLE, 1, 4));
        ComputationGraph target = net(true, 2);
        Map<String, List<String>> all = Map.of("conv", List.of("conv"), "bn", List.of("bn"), "out", List.of("out"));

        WeightTransfer.copy(target, NamedWeights.of(source, "var-stored"), all);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 2, 6, 6);
        assertThat(target.outputSingle(false, x).equalsWithEps(source.outputSingle(false, x), 1e-12)).isTrue();
        // by hand for one channel: log10(sqrt(var))
        double var = source.getLayer("bn").getParam("var").getDouble(0, 2);
        assertThat(target.getLayer("bn").getParam("log10stdev").getDouble(0, 2))
                .isCloseTo(Math.log10(Math.sqrt(var)), offset(1e-12));

        ComputationGraph back = net(false, 3);
        WeightTransfer.copy(back, NamedWeights.of(target, "log-stored"), all);
        assertThat(back.getLayer("bn").getParam("var").equalsWithEps(source.getLayer("bn").getParam("var"), 1e-12)).isTrue();
    }
}
