package org.peft4j.backbones.preprocessing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

class ChannelsLastTest {

    @Test
    void movesTheChannelAxisOfImagesAndVolumesLast() {
        INDArray volumes = Nd4j.rand(DataType.FLOAT, 2, 3, 4, 5, 6);
        INDArray last = ChannelsLast.of(volumes);
        assertThat(last.shape()).containsExactly(2, 4, 5, 6, 3);
        assertThat(last.ordering()).isEqualTo('c');
        assertThat(last.getDouble(1, 2, 3, 4, 0)).isEqualTo(volumes.getDouble(1, 0, 2, 3, 4));
        assertThat(last.getDouble(0, 3, 1, 5, 2)).isEqualTo(volumes.getDouble(0, 2, 3, 1, 5));
        INDArray images = Nd4j.rand(DataType.FLOAT, 2, 3, 4, 5);
        assertThat(ChannelsLast.of(images).shape()).containsExactly(2, 4, 5, 3);
        assertThat(ChannelsLast.of(images).getDouble(1, 3, 4, 2)).isEqualTo(images.getDouble(1, 2, 3, 4));
    }

    @Test
    void asAPreProcessorItRewritesTheFeaturesOnly() {
        INDArray features = Nd4j.rand(DataType.FLOAT, 2, 1, 3, 3, 3);
        INDArray labels = Nd4j.eye(2).castTo(DataType.FLOAT);
        DataSet batch = new DataSet(features.dup(), labels.dup());
        new ChannelsLast().preProcess(batch);
        assertThat(batch.getFeatures().shape()).containsExactly(2, 3, 3, 3, 1);
        assertThat(batch.getFeatures().reshape(features.shape())).isEqualTo(features);
        assertThat(batch.getLabels()).isEqualTo(labels);
    }

    @Test
    void refusesArraysThatAreNeitherImagesNorVolumes() {
        assertThatThrownBy(() -> ChannelsLast.of(Nd4j.rand(DataType.FLOAT, 2, 7)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[2, 7]");
    }
}
