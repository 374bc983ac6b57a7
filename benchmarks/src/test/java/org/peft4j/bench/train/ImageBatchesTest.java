package org.peft4j.bench.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.peft4j.bench.data.LabeledImages;

class ImageBatchesTest {

    /** Five 2x2 grayscale images; image i has pixels 10i, 10i+1, 10i+2, 10i+3 and label i % 2. */
    private static LabeledImages five() {
        byte[][] pixels = new byte[5][];
        int[] labels = new int[5];
        for (int i = 0; i < 5; i++) {
            pixels[i] = new byte[] {(byte) (10 * i), (byte) (10 * i + 1), (byte) (10 * i + 2), (byte) (10 * i + 3)};
            labels[i] = i % 2;
        }
        return new LabeledImages("five", 1, 2, 2, pixels, labels, List.of("even", "odd"));
    }

    @Test
    void inOrderBatchesScaleToUnitAndOneHot() {
        ImageBatches batches = ImageBatches.inOrder(five(), new InputSpec(1, 2, InputSpec.Normalisation.UNIT), 2);
        assertThat(batches.batches()).isEqualTo(3);
        DataSet first = batches.next();
        assertThat(first.getFeatures().shape()).containsExactly(2, 1, 2, 2);
        assertThat(first.getFeatures().getDouble(1, 0, 1, 0)).isCloseTo(12 / 255.0, within(1e-6));
        assertThat(first.getLabels().toDoubleMatrix()).isDeepEqualTo(new double[][] {{1, 0}, {0, 1}});
        batches.next();
        assertThat(batches.next().getFeatures().size(0)).isEqualTo(1);
        assertThat(batches.hasNext()).isFalse();
    }

    @Test
    void grayIsRepeatedIntoThreeChannelsAndVggMeansSubtracted() {
        ImageBatches batches = ImageBatches.inOrder(five(), new InputSpec(3, 2, InputSpec.Normalisation.VGG_IMAGENET), 5);
        INDArray f = batches.next().getFeatures();
        // image 2 pixel (0, 1) = 21; channel means (DL4J's BGR order) 103.939, 116.779, 123.68
        assertThat(f.getDouble(2, 0, 0, 1)).isCloseTo(21 - 103.939, within(1e-3));
        assertThat(f.getDouble(2, 1, 0, 1)).isCloseTo(21 - 116.779, within(1e-3));
        assertThat(f.getDouble(2, 2, 0, 1)).isCloseTo(21 - 123.68, within(1e-3));
    }

    @Test
    void resizeKeepsAUniformImageUniform() {
        byte[] flat = new byte[9];
        Arrays.fill(flat, (byte) 51);
        LabeledImages one = new LabeledImages("u", 1, 3, 3, new byte[][] {flat}, new int[] {0}, List.of("a"));
        INDArray f = ImageBatches.inOrder(one, new InputSpec(1, 5, InputSpec.Normalisation.UNIT), 1).next().getFeatures();
        assertThat(f.shape()).containsExactly(1, 1, 5, 5);
        assertThat(f.minNumber().doubleValue()).isCloseTo(0.2, within(1e-6));
        assertThat(f.maxNumber().doubleValue()).isCloseTo(0.2, within(1e-6));
    }

    @Test
    void shuffledPassesAreSeededPermutations() {
        InputSpec spec = new InputSpec(1, 2, InputSpec.Normalisation.UNIT);
        List<Double> a = firstPixels(ImageBatches.shuffled(five(), spec, 2, 42, Augmentation.NONE));
        List<Double> b = firstPixels(ImageBatches.shuffled(five(), spec, 2, 42, Augmentation.NONE));
        List<Double> c = firstPixels(ImageBatches.shuffled(five(), spec, 2, 43, Augmentation.NONE));
        assertThat(a).isEqualTo(b).containsExactlyInAnyOrder(0.0, 10.0, 20.0, 30.0, 40.0).isNotEqualTo(c);
    }

    @Test
    void flipMirrorsRows() {
        InputSpec spec = new InputSpec(1, 2, InputSpec.Normalisation.UNIT);
        ImageBatches flipped = ImageBatches.shuffled(five(), spec, 5, 1, new Augmentation(true, 0));
        INDArray f = flipped.next().getFeatures().mul(255);
        for (int i = 0; i < 5; i++) {
            double left = Math.round(f.getDouble(i, 0, 0, 0));
            double right = Math.round(f.getDouble(i, 0, 0, 1));
            // original rows are (10k, 10k+1): either kept or mirrored
            assertThat(Math.abs(left - right)).isEqualTo(1.0);
        }
    }

    private static List<Double> firstPixels(ImageBatches batches) {
        List<Double> values = new ArrayList<>();
        while (batches.hasNext()) {
            INDArray f = batches.next().getFeatures();
            for (int i = 0; i < f.size(0); i++) {
                values.add((double) Math.round(f.getDouble(i, 0, 0, 0) * 255));
            }
        }
        return values;
    }
}
