package org.peft4j.backbones.preprocessing;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;

/**
 * Feeds a channels-last network ({@code CNN2DFormat.NHWC}, {@code Convolution3D.DataFormat.NDHWC}) from data that
 * comes channels-first: images {@code [N, C, H, W] -> [N, H, W, C]}, volumes {@code [N, C, D, H, W] -> [N, D, H, W,
 * C]}. As a {@link DataSetPreProcessor} of an iterator ({@code iterator.setPreProcessor(new ChannelsLast())}) it
 * rewrites each batch's features; labels and masks stay as they are.
 */
public final class ChannelsLast implements DataSetPreProcessor {

    @Override
    public void preProcess(DataSet batch) {
        batch.setFeatures(of(batch.getFeatures()));
    }

    /**
     * {@code features} with the channel axis (1) moved last, a new c-ordered array.
     *
     * @throws IllegalArgumentException naming the shape unless the features are images (rank 4) or volumes (rank 5)
     */
    public static INDArray of(INDArray features) {
        int rank = features.rank();
        if (rank != 4 && rank != 5) {
            throw new IllegalArgumentException("channels-last needs images [N, C, H, W] or volumes [N, C, D, H, W], got "
                    + Arrays.toString(features.shape()));
        }
        int[] axes = new int[rank];
        for (int i = 1; i < rank - 1; i++) {
            axes[i] = i + 1;
        }
        axes[rank - 1] = 1;
        return features.permute(axes).dup('c');
    }
}
