package org.peft4j.backbones.adapted;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.learning.config.Adam;
import org.peft4j.AdapterRegistry;
import org.peft4j.LayerSelector;
import org.peft4j.MergeEveryEpochs;
import org.peft4j.Peft;
import org.peft4j.PeftConfig;
import org.peft4j.PeftModel;
import org.peft4j.backbones.VggMini;
import org.peft4j.testkit.Nets;

/**
 * An end-to-end check on real data: vgg-mini with every convolution wrapped by CoLoRA (and
 * a trainable head) trains one epoch on Fashion-MNIST images with the merge-every-epoch listener,
 * and its merged, unloaded copy (a plain vgg-mini) gives the same outputs. Skipped when
 * the Debian package {@code dataset-fashion-mnist} is not installed.
 */
class FashionMnistEpochTest {

    private static final int TRAIN = 512;

    @Test
    void vggMiniWithEveryConvolutionAdaptedTrainsAnEpochAndUnloadsToTheSameOutputs() throws IOException {
        assumeTrue(FashionMnistIdx.available(FashionMnistIdx.DEFAULT_DIR), "Fashion-MNIST IDX files not installed");
        DataSet train = FashionMnistIdx.read(FashionMnistIdx.DEFAULT_DIR, "train", TRAIN);
        DataSet test = FashionMnistIdx.read(FashionMnistIdx.DEFAULT_DIR, "t10k", 128);
        MultiLayerNetwork base = VggMini.create(10, 0);
        INDArray baseKernel = base.getLayer("block2_conv1").getParam("W").dup();
        PeftModel<MultiLayerNetwork> model = Peft.apply(base, PeftConfig.builder().method("colora")
                .targets(LayerSelector.byType(ConvolutionLayer.class))
                .trainable(LayerSelector.names("fc1", "predictions")).updater(new Adam(1e-3)).build(),
                AdapterRegistry.fromClasspath());
        assertThat(model.adaptedLayers()).hasSize(6);
        MultiLayerNetwork net = model.network();
        MergeEveryEpochs merge = new MergeEveryEpochs(1);
        net.addListeners(merge);
        double before = net.score(test);

        net.fit(new ViewIterator(train, 64), 1);

        assertThat(merge.merges()).isEqualTo(1);
        assertThat(net.score(test)).as("test loss after one epoch").isLessThan(before);
        assertThat(net.getLayer("block2_conv1").getParam("W").equalsWithEps(baseKernel, 1e-6))
                .as("the merge moved the frozen kernel").isFalse();
        MultiLayerNetwork unloaded = model.mergeAndUnload();
        assertThat(Nets.layerTypes(unloaded)).isEqualTo(Nets.layerTypes(VggMini.create(10, 0)));
        assertThat(Nets.maxRelativeError(unloaded.output(test.getFeatures()), net.output(test.getFeatures())))
                .isLessThan(1e-6);
    }
}
