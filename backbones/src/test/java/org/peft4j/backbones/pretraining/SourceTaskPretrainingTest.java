package org.peft4j.backbones.pretraining;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.peft4j.backbones.VggMini;

class SourceTaskPretrainingTest {

    @TempDir
    Path cache;

    /** 64 images in [0, 1]: class k lights up the k-th band of rows, plus noise. */
    private static DataSet toyFashion(int classes, double scale) {
        int n = 64;
        INDArray x = Nd4j.rand(DataType.FLOAT, n, 1, 28, 28).muli(0.2);
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, classes);
        for (int i = 0; i < n; i++) {
            int label = i % classes;
            for (int row = label * 5; row < label * 5 + 5; row++) {
                for (int col = 0; col < 28; col++) {
                    x.putScalar(new long[] {i, 0, row, col}, 0.8 + 0.2 * x.getDouble(i, 0, row, col));
                }
            }
            y.putScalar(i, label, 1);
        }
        return new DataSet(x.muli(scale), y);
    }

    private static DataSetIterator iterator(DataSet data, int batch) {
        return new ListDataSetIterator<>(data.asList(), batch);
    }

    @Test
    void aSecondRunLoadsWhatTheFirstTrainedAndSaved() throws Exception {
        PretrainingSettings settings = new PretrainingSettings("vgg-mini", 5, 2, 1e-3, 32, 0, "toy bands, 64 rows");
        DataSet data = toyFashion(5, 1.0);
        AtomicInteger calls = new AtomicInteger();
        SourceTaskPretraining pretraining = new SourceTaskPretraining(cache);

        MultiLayerNetwork first = pretraining.pretrained(settings, () -> {
            calls.incrementAndGet();
            return iterator(data, 32);
        });
        assertThat(calls).hasValue(1);
        assertThat(pretraining.cacheFile(settings)).exists().hasFileName(settings.fileName());
        assertThat(Files.readString(cache.resolve(settings.fileName() + ".json")))
                .contains("\"cacheKey\" : \"" + settings.cacheKey() + "\"").contains("toy bands, 64 rows");
        assertThat(first.getEpochCount()).isEqualTo(2);
        MultiLayerNetwork untrained = VggMini.create(5, 0);
        assertThat(first.score(data)).isLessThan(untrained.score(data));

        MultiLayerNetwork second = new SourceTaskPretraining(cache).pretrained(settings, () -> {
            calls.incrementAndGet();
            return iterator(data, 32);
        });
        assertThat(calls).hasValue(1);
        assertThat(second.params()).isEqualTo(first.params());
        assertThat(second.output(data.getFeatures())).isEqualTo(first.output(data.getFeatures()));
    }

    @Test
    void theCacheKeyFollowsEverySettingAndTheProtocolDefaultsAreStepOne() {
        PretrainingSettings protocol = PretrainingSettings.fashionTransfer("fashion-mnist train labels 0-4");
        assertThat(protocol).isEqualTo(new PretrainingSettings("vgg-mini", 5, 3, 1e-3, 64, 0,
                "fashion-mnist train labels 0-4"));
        assertThat(protocol.cacheKey()).hasSize(16)
                .isEqualTo(PretrainingSettings.fashionTransfer("fashion-mnist train labels 0-4").cacheKey())
                .isNotEqualTo(new PretrainingSettings("vgg-mini", 5, 3, 1e-3, 64, 1, protocol.data()).cacheKey())
                .isNotEqualTo(new PretrainingSettings("vgg-mini", 5, 3, 2e-3, 64, 0, protocol.data()).cacheKey())
                .isNotEqualTo(PretrainingSettings.fashionTransfer("fashion-mnist sample").cacheKey());
        assertThatThrownBy(() -> new PretrainingSettings("resnet", 5, 3, 1e-3, 64, 0, "x")).hasMessageContaining("'resnet'");
        assertThatThrownBy(() -> PretrainingSettings.fashionTransfer(" ")).hasMessageContaining("cache key");
    }

    @Test
    void dataThatBreaksTheProtocolIsRefusedBeforeTraining() {
        PretrainingSettings settings = new PretrainingSettings("vgg-mini", 5, 1, 1e-3, 32, 0, "toy");
        assertThatThrownBy(() -> SourceTaskPretraining.train(settings, iterator(toyFashion(5, 255), 32)))
                .hasMessageContaining("scaled to [0, 1]");
        assertThatThrownBy(() -> SourceTaskPretraining.train(settings, iterator(toyFashion(4, 1), 32)))
                .hasMessageContaining("5 classes").hasMessageContaining("[32, 4]");
        assertThatThrownBy(() -> SourceTaskPretraining.train(settings, iterator(toyFashion(5, 1), 64)))
                .hasMessageContaining("batch size 32");
    }

    @Test
    void anUnreadableCachedFileIsReportedNotOverwritten() throws Exception {
        PretrainingSettings settings = new PretrainingSettings("vgg-mini", 5, 1, 1e-3, 64, 0, "toy");
        SourceTaskPretraining pretraining = new SourceTaskPretraining(cache);
        Files.writeString(pretraining.cacheFile(settings), "truncated");
        assertThatThrownBy(() -> pretraining.pretrained(settings, () -> iterator(toyFashion(5, 1), 64)))
                .hasMessageContaining(settings.fileName()).hasMessageContaining("delete it to retrain");
        assertThat(Files.readString(pretraining.cacheFile(settings))).isEqualTo("truncated");
    }
}
