package org.peft4j.backbones.preprocessing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

class PretrainedInputsTest {

    /** Bilinear with half-pixel centres by plain loops (TensorFlow 2 / PyTorch align_corners=False). */
    private static double bilinear(INDArray img, int n, int c, int outH, int outW, int y, int x) {
        int inH = (int) img.size(2);
        int inW = (int) img.size(3);
        double sy = (y + 0.5) * inH / outH - 0.5;
        double sx = (x + 0.5) * inW / outW - 0.5;
        int y0 = (int) Math.floor(sy);
        int x0 = (int) Math.floor(sx);
        double fy = sy - y0;
        double fx = sx - x0;
        double top = lerp(px(img, n, c, y0, x0), px(img, n, c, y0, x0 + 1), fx);
        double bottom = lerp(px(img, n, c, y0 + 1, x0), px(img, n, c, y0 + 1, x0 + 1), fx);
        return lerp(top, bottom, fy);
    }

    private static double px(INDArray img, int n, int c, int y, int x) {
        int yy = Math.max(0, Math.min((int) img.size(2) - 1, y));
        int xx = Math.max(0, Math.min((int) img.size(3) - 1, x));
        return img.getDouble(n, c, yy, xx);
    }

    private static double lerp(double a, double b, double t) {
        return a + (b - a) * t;
    }

    @Test
    void bilinearResizeMatchesHalfPixelCentresUpAndDown() {
        INDArray img = Nd4j.rand(DataType.DOUBLE, 2, 2, 7, 5);
        for (int[] size : new int[][] {{16, 11}, {3, 4}, {7, 5}}) {
            INDArray out = ImageInputs.resizeBilinear(img, size[0], size[1]);
            assertThat(out.shape()).containsExactly(2, 2, size[0], size[1]);
            double worst = 0;
            for (int n = 0; n < 2; n++) {
                for (int c = 0; c < 2; c++) {
                    for (int y = 0; y < size[0]; y++) {
                        for (int x = 0; x < size[1]; x++) {
                            worst = Math.max(worst, Math.abs(out.getDouble(n, c, y, x)
                                    - bilinear(img, n, c, size[0], size[1], y, x)));
                        }
                    }
                }
            }
            assertThat(worst).as("%dx%d", size[0], size[1]).isLessThan(1e-6);
        }
    }

    @Test
    void grayUnitRangeBatchesBecomeCaffeNormalisedRgbAtTheNetworkSize() {
        INDArray gray = Nd4j.rand(DataType.FLOAT, 3, 1, 28, 28);
        DataSet batch = new DataSet(gray.dup(), Nd4j.zeros(DataType.FLOAT, 3, 4));
        PretrainedInputs.imagenetCaffe(32, 1.0).preProcess(batch);
        INDArray out = batch.getFeatures();
        assertThat(out.shape()).containsExactly(3, 3, 32, 32);
        double[] meanBgr = {103.939, 116.779, 123.68};
        double worst = 0;
        for (int n = 0; n < 3; n++) {
            for (int y = 0; y < 32; y += 3) {
                for (int x = 0; x < 32; x += 5) {
                    double value = 255 * bilinear(gray, n, 0, 32, 32, y, x);
                    for (int c = 0; c < 3; c++) {
                        worst = Math.max(worst, Math.abs(out.getDouble(n, c, y, x) - (value - meanBgr[c])));
                    }
                }
            }
        }
        assertThat(worst).isLessThan(1e-3);
    }

    @Test
    void rgbChannelsAreReorderedToBgrBeforeTheMeansAreSubtracted() {
        INDArray rgb = Nd4j.rand(DataType.FLOAT, 1, 3, 4, 4).muli(255);
        INDArray out = ImageInputs.caffeNormalise(rgb);
        assertThat(out.getDouble(0, 0, 1, 2)).isCloseTo(rgb.getDouble(0, 2, 1, 2) - 103.939, within());
        assertThat(out.getDouble(0, 1, 1, 2)).isCloseTo(rgb.getDouble(0, 1, 1, 2) - 116.779, within());
        assertThat(out.getDouble(0, 2, 1, 2)).isCloseTo(rgb.getDouble(0, 0, 1, 2) - 123.68, within());
        assertThat(rgb.minNumber().doubleValue()).isGreaterThanOrEqualTo(0.0);

        INDArray bytes = Nd4j.rand(DataType.FLOAT, 2, 1, 28, 28).muli(255);
        INDArray unit = PretrainedInputs.unitRange(1, 28, 255).apply(bytes);
        assertThat(unit.equalsWithEps(bytes.div(255), 1e-6)).isTrue();
    }

    @Test
    void badShapesAndSettingsAreRefusedByName() {
        assertThatThrownBy(() -> PretrainedInputs.imagenetCaffe(32, 1).apply(Nd4j.rand(DataType.FLOAT, 2, 784)))
                .hasMessageContaining("[2, 784]").hasMessageContaining("reshape");
        assertThatThrownBy(() -> PretrainedInputs.imagenetCaffe(32, 1).apply(Nd4j.rand(DataType.FLOAT, 2, 2, 8, 8)))
                .hasMessageContaining("2 channels");
        assertThatThrownBy(() -> new PretrainedInputs(1, 32, 1, PretrainedInputs.Normalisation.CAFFE_BGR_MEAN))
                .hasMessageContaining("channels=1");
        assertThatThrownBy(() -> PretrainedInputs.unitRange(3, 32, 0)).hasMessageContaining("inputMax");
    }

    private static Offset<Double> within() {
        return Offset.offset(1e-3);
    }
}
