package org.peft4j.backbones;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.data.Offset;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

class Cnn3dSmallTest {

    @Test
    void classifiesMedMnist3dSizedVolumesWithTheDocumentedParameterCount() {
        MultiLayerNetwork net = Cnn3dSmall.create(1, 28, 11, 0);
        assertThat(net.numParams()).isEqualTo(74_539L);
        INDArray out = net.output(Nd4j.rand(DataType.FLOAT, 2, 1, 28, 28, 28));
        assertThat(out.shape()).containsExactly(2, 11);
        assertThat(out.sum(1).toDoubleVector()).containsExactly(new double[] {1, 1}, Offset.offset(1e-5));
        assertThat(net.getLayer("conv3").getParam("W").shape()).containsExactly(64, 32, 3, 3, 3);
    }

    @Test
    void theHeadDoesNotDependOnTheVolumeSizeAndTrainingLowersTheLoss() {
        MultiLayerNetwork small = Cnn3dSmall.create(2, 9, 3, 1);
        assertThat(small.numParams()).isEqualTo(Cnn3dSmall.create(2, 16, 3, 1).numParams());
        Nd4j.getRandom().setSeed(4);
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 2, 9, 9, 9);
        DataSet data = new DataSet(x, Nd4j.eye(4).getColumns(0, 1, 2).castTo(DataType.FLOAT));
        double before = small.score(data);
        for (int i = 0; i < 10; i++) {
            small.fit(data);
        }
        assertThat(small.score(data)).isLessThan(before);
    }

    @Test
    void channelsLastTakesTheSameVolumesChannelsLastAndGivesTheSameOutputs() {
        MultiLayerNetwork first = Cnn3dSmall.create(2, 10, 3, 5);
        MultiLayerNetwork last = Cnn3dSmall.create(2, 10, 3, 5, Convolution3D.DataFormat.NDHWC);
        assertThat(last.params()).isEqualTo(first.params());
        Nd4j.getRandom().setSeed(6);
        INDArray x = Nd4j.rand(DataType.FLOAT, 3, 2, 10, 10, 10);
        INDArray expected = first.output(x);
        INDArray actual = last.output(x.permute(0, 2, 3, 4, 1).dup('c'));
        assertThat(actual.shape()).containsExactly(3, 3);
        assertThat(actual.sub(expected).amaxNumber().doubleValue()).isLessThan(1e-5);
        assertThatThrownBy(() -> last.output(x)).hasMessageContaining("channels");
    }

    @Test
    void refusesVolumesTooSmallForTwoPoolings() {
        assertThatThrownBy(() -> Cnn3dSmall.create(1, 3, 2, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("size >= 4");
    }
}
