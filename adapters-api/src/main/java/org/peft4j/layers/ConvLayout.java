package org.peft4j.layers;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Moves DL4J convolution arrays to and from the layout {@link ConvolutionOps} works in: NCHW
 * activations and PyTorch-layout kernels {@code [C_out, C_in, kH, kW]}, with 1D as {@code H = 1}.
 *
 * <p>The 1D weight trap: DL4J's {@code Convolution1DLayer} reports {@code W} as
 * {@code [C_out, C_in, k, 1]}, but its convolution reads that c-order buffer as a
 * {@code [k, C_in, C_out]} array (for NCW and NWC alike). A kernel {@code K[o, c, t]} therefore
 * sits at buffer position {@code (t·C_in + c)·C_out + o}.
 */
public final class ConvLayout {

    private ConvLayout() {
    }

    /** {@code array} (activations or their gradient, in the layer's format) as 4D NCHW (a view when possible). */
    public static INDArray toNchw(ConvolutionLayer conf, INDArray array) {
        if (conf instanceof Convolution1DLayer conv1d) {
            INDArray ncw = conv1d.getRnnDataFormat() == RNNFormat.NWC ? array.permute(0, 2, 1) : array;
            return ConvolutionOps.contiguous(ncw).reshape('c', ncw.size(0), ncw.size(1), 1, ncw.size(2));
        }
        return conf.getCnn2dDataFormat() == CNN2DFormat.NHWC ? array.permute(0, 3, 1, 2) : array;
    }

    /** A 4D NCHW array in the layer's format (a view). */
    public static INDArray fromNchw(ConvolutionLayer conf, INDArray nchw) {
        if (conf instanceof Convolution1DLayer conv1d) {
            INDArray ncw = nchw.reshape('c', nchw.size(0), nchw.size(1), nchw.size(3));
            return conv1d.getRnnDataFormat() == RNNFormat.NWC ? ncw.permute(0, 2, 1) : ncw;
        }
        return conf.getCnn2dDataFormat() == CNN2DFormat.NHWC ? nchw.permute(0, 2, 3, 1) : nchw;
    }

    /** The kernel {@code [C_out, C_in, kH, kW]} (1D: {@code [C_out, C_in, 1, k]}) that {@code W} holds. */
    public static INDArray kernel(ConvolutionLayer conf, INDArray w) {
        if (conf instanceof Convolution1DLayer) {
            long out = w.size(0);
            long in = w.size(1);
            long k = w.size(2);
            return ConvolutionOps.contiguous(w).reshape('c', k, in, out).permute(2, 1, 0).dup('c')
                    .reshape('c', out, in, 1, k);
        }
        return w;
    }

    /** The inverse of {@link #kernel}: {@code kernel} laid out as the layer's {@code W}, a new array of shape {@code wShape}. */
    public static INDArray weights(ConvolutionLayer conf, INDArray kernel, long[] wShape) {
        if (conf instanceof Convolution1DLayer) {
            return kernel.reshape('c', kernel.size(0), kernel.size(1), kernel.size(3)).permute(2, 1, 0).dup('c')
                    .reshape('c', wShape);
        }
        return kernel.dup('c').reshape('c', wShape);
    }

    /** The 1D convolution's weights as its op reads them, {@code [k, C_in, C_out]} (a view of {@code W}). */
    static INDArray opWeights1d(INDArray w) {
        return ConvolutionOps.contiguous(w).reshape('c', w.size(2), w.size(1), w.size(0));
    }
}
