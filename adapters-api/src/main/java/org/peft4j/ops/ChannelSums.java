package org.peft4j.ops;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The sum of an activation-shaped array over every axis but its channel axis, as matrix products with a vector of
 * ones: a convolution's bias gradient {@code dL/db = Σ δ}. libnd4j's sum reduction over those axes is several
 * times slower than the products on activation-sized arrays, channels-last above all.
 */
final class ChannelSums {

    private ChannelSums() {
    }

    /**
     * Writes the channel sums of {@code a} into {@code sums}.
     *
     * @param a             {@code [N, C, spatial...]} (channels first) or {@code [N, spatial..., C]} (channels last),
     *                      c order
     * @param channelsFirst where the channel axis is
     * @param sums          receives {@code [C]} (any shape of that length)
     */
    static void of(INDArray a, boolean channelsFirst, INDArray sums) {
        long examples = a.size(0);
        long channels = channelsFirst ? a.size(1) : a.size(a.rank() - 1);
        long positions = a.length() / (examples * channels);
        INDArray c = KernelLayout.contiguous(a);
        INDArray result;
        if (channelsFirst) {
            INDArray perExample = MatMul.product(c.reshape('c', examples * channels, positions),
                    Nd4j.ones(a.dataType(), positions, 1)).reshape('c', examples, channels);
            result = MatMul.product(Nd4j.ones(a.dataType(), 1, examples), perExample);
        } else {
            result = MatMul.product(Nd4j.ones(a.dataType(), 1, examples * positions),
                    c.reshape('c', examples * positions, channels));
        }
        sums.reshape(channels).assign(result.reshape(channels));
    }
}
