package org.peft4j.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.peft4j.PeftModel;

/**
 * DL4J's Spark training ships layer configurations to the executors by Java serialization, and local mode can
 * hide a configuration that does not survive it. Each method's adapted network configuration is written and read
 * back with Java serialization here; a network built from the copy, with the same parameters, gives the same
 * output bit for bit.
 */
class JavaSerializationTest {

    @ParameterizedTest
    @EnumSource(AdaptedNets.Method.class)
    void multiLayerConfigurationSurvivesJavaSerialization(AdaptedNets.Method method) throws Exception {
        PeftModel<MultiLayerNetwork> model = method.multiLayer();
        MultiLayerNetwork original = model.network();
        INDArray params = randomParams(original.numParams());
        original.setParams(params);

        MultiLayerConfiguration copy = roundTrip(original.getLayerWiseConfigurations());
        MultiLayerNetwork rebuilt = new MultiLayerNetwork(copy);
        rebuilt.init(params.dup(), false);

        assertThat(copy.toJson()).isEqualTo(original.getLayerWiseConfigurations().toJson());
        assertThat(roundTrip(model.config())).isEqualTo(model.config());
        INDArray features = input(method);
        assertThat(Exact.values(rebuilt.output(features))).isEqualTo(Exact.values(original.output(features)));
    }

    @ParameterizedTest
    @EnumSource(AdaptedNets.Method.class)
    void graphConfigurationSurvivesJavaSerialization(AdaptedNets.Method method) throws Exception {
        ComputationGraph original = method.graph().network();
        INDArray params = randomParams(original.numParams());
        original.setParams(params);

        ComputationGraphConfiguration copy = roundTrip(original.getConfiguration());
        ComputationGraph rebuilt = new ComputationGraph(copy);
        rebuilt.init(params.dup(), false);

        assertThat(copy.toJson()).isEqualTo(original.getConfiguration().toJson());
        INDArray features = input(method);
        assertThat(Exact.values(rebuilt.outputSingle(features)))
                .isEqualTo(Exact.values(original.outputSingle(features)));
    }

    private static INDArray input(AdaptedNets.Method method) {
        return method.task().batches(1, 8, 5).get(0).getFeatures();
    }

    /** Values in [-0.5, 0.5): every adapter parameter non-zero, so the output depends on all of them. */
    private static INDArray randomParams(long count) {
        Nd4j.getRandom().setSeed(3);
        return Nd4j.rand(DataType.FLOAT, 1, count).subi(0.5);
    }

    @SuppressWarnings("unchecked")
    private static <T extends Serializable> T roundTrip(T value) throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }
}
