package org.peft4j.backbones;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

class Cnn1dMiniTest {

    @Test
    void classifiesSequencesOfAnyLengthWithTheDocumentedParameterCount() {
        MultiLayerNetwork net = Cnn1dMini.create(1, 64, 5, 0);
        // by hand: convs 32*(5*1+1) + 64*(5*32+1) + 128*(3*64+1), dense 128*128+128, output 128*5+5
        assertThat(net.numParams()).isEqualTo(32 * 6 + 64 * 161 + 128 * 193 + 128 * 129 + 5 * 129);
        INDArray out = net.output(Nd4j.rand(DataType.FLOAT, 3, 1, 64));
        assertThat(out.shape()).containsExactly(3, 5);
        assertThat(out.sum(1).getDouble(0)).isCloseTo(1.0, offset(1e-5));
        assertThat(net.getLayerWiseConfigurations().getConf(0).getLayer()).isInstanceOf(Convolution1DLayer.class);
        assertThat(net.getLayer("block3_conv1").getParam("W").size(0)).isEqualTo(128);
    }

    @Test
    void learnsAToyTaskWhereTheClassIsTheSignOfTheSignal() {
        MultiLayerNetwork net = Cnn1dMini.create(2, 16, 2, 1);
        INDArray x = Nd4j.rand(DataType.FLOAT, 32, 2, 16);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 32, 2);
        for (int i = 0; i < 32; i++) {
            int label = i % 2;
            if (label == 1) {
                x.slice(i).negi();
            }
            labels.putScalar(i, label, 1);
        }
        DataSet data = new DataSet(x, labels);
        double before = net.score(data);
        for (int i = 0; i < 30; i++) {
            net.fit(data);
        }
        assertThat(net.score(data)).isLessThan(before / 4);
    }

    @Test
    void refusesTooShortSequences() {
        assertThatThrownBy(() -> Cnn1dMini.create(1, 3, 5, 0)).hasMessageContaining("length >= 4");
    }
}
