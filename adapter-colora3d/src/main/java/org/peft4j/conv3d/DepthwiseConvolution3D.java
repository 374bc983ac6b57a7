package org.peft4j.conv3d;

import java.util.Collection;
import java.util.Map;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.deeplearning4j.util.Convolution3DUtils;
import org.deeplearning4j.util.ConvolutionUtils;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.peft4j.ops.Conv3dGeometry;

/**
 * A depthwise 3D convolution layer: every input channel is convolved with its own
 * {@code depthMultiplier} spatial kernels, with no mixing across channels. The 3D counterpart of
 * DL4J's {@code DepthwiseConvolution2D}, with the same conventions:
 * <ul>
 *   <li>{@code W} [kD, kH, kW, nIn, depthMultiplier], c order;</li>
 *   <li>{@code b} [nOut] with {@code nOut = nIn·depthMultiplier} (stored before {@code W} in the flat view);</li>
 *   <li>output channel {@code c·depthMultiplier + j} is input channel {@code c} convolved with
 *       {@code W[:, :, :, c, j]}:
 *       {@code y[n, c·m+j, o] = b[c·m+j] + Σ_{t} W[t, c, j]·x[n, c, o·stride + t·dilation − pad]};</li>
 *   <li>weights drawn by the layer's weight init with {@code fanIn = nIn·kD·kH·kW} and
 *       {@code fanOut = depthMultiplier·kD·kH·kW / (sD·sH·sW)}.</li>
 * </ul>
 * Everything else (data format NCDHW or NDHWC, convolution mode, stride, padding, dilation,
 * activation, bias, updaters) behaves as in {@link Convolution3D}, which this class extends so
 * that DL4J's 3D input-type handling applies to it. The maths is in {@link DepthwiseConv3d}.
 *
 * <pre>{@code
 * .layer(new DepthwiseConvolution3D.Builder(3, 3, 3).depthMultiplier(2)
 *         .convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build())
 * }</pre>
 */
public class DepthwiseConvolution3D extends Convolution3D {

    private int depthMultiplier = 1;

    /** For JSON. */
    public DepthwiseConvolution3D() {
    }

    private DepthwiseConvolution3D(Builder builder) {
        super(builder);
        if (builder.depthMultiplier < 1) {
            throw new IllegalArgumentException("depth multiplier must be >= 1, got " + builder.depthMultiplier);
        }
        this.depthMultiplier = builder.depthMultiplier;
        this.nOut = this.nIn * depthMultiplier;
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners, int index, INDArray paramsView, boolean initializeParams,
            DataType dataType) {
        LayerValidation.assertNInNOutSet("DepthwiseConvolution3D", getLayerName(), index, getNIn(), getNOut());
        if (getNOut() != getNIn() * depthMultiplier) {
            throw new IllegalStateException("DepthwiseConvolution3D layer '" + getLayerName() + "': nOut must be nIn ("
                    + getNIn() + ") x depthMultiplier (" + depthMultiplier + "), got " + getNOut());
        }
        DepthwiseConvolution3DRuntime layer = new DepthwiseConvolution3DRuntime(conf, dataType);
        layer.setListeners(listeners);
        layer.setIndex(index);
        layer.setParamsViewArray(paramsView);
        Map<String, INDArray> params = initializer().init(conf, paramsView, initializeParams);
        layer.setParamTable(params);
        layer.setConf(conf);
        return layer;
    }

    @Override
    public ParamInitializer initializer() {
        return DepthwiseConvolution3DParamInitializer.INSTANCE;
    }

    /**
     * DL4J's output type for a 3D convolution, with two DL4J defects corrected (both measured in
     * {@code InputTypeUtil.getOutputTypeCnn3DLayers}, M2.1): outside {@code Same} mode it forgets
     * the data format (an NCDHW layer is reported as NDHWC, so a following dense layer flattens it
     * wrongly), and it divides the width by the height stride. The sizes here are the ones the
     * layer produces (see {@link Conv3dGeometry}); DL4J's validation errors are kept.
     */
    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        InputType.InputTypeConvolutional3D dl4j = (InputType.InputTypeConvolutional3D) super.getOutputType(layerIndex,
                inputType);
        InputType.InputTypeConvolutional3D in = (InputType.InputTypeConvolutional3D) inputType;
        long[] size = {in.getDepth(), in.getHeight(), in.getWidth()};
        for (int a = 0; a < 3; a++) {
            long effective = (long) (kernelSize[a] - 1) * dilation[a] + 1;
            size[a] = convolutionMode == ConvolutionMode.Same ? (size[a] + stride[a] - 1) / stride[a]
                    : (size[a] + 2L * padding[a] - effective) / stride[a] + 1;
        }
        return InputType.convolutional3D(getDataFormat(), size[0], size[1], size[2], dl4j.getChannels());
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        super.setNIn(inputType, override);
        if (nOut == 0 || override) {
            nOut = nIn * depthMultiplier;
        }
    }

    public int getDepthMultiplier() {
        return depthMultiplier;
    }

    public void setDepthMultiplier(int depthMultiplier) {
        this.depthMultiplier = depthMultiplier;
    }

    @Override
    public DepthwiseConvolution3D clone() {
        return (DepthwiseConvolution3D) super.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DepthwiseConvolution3D other && super.equals(o) && depthMultiplier == other.depthMultiplier;
    }

    @Override
    protected boolean canEqual(Object other) {
        return other instanceof DepthwiseConvolution3D;
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + depthMultiplier;
    }

    @Override
    public String toString() {
        return "DepthwiseConvolution3D(depthMultiplier=" + depthMultiplier + ", " + super.toString() + ")";
    }

    /**
     * Builder: DL4J's {@link Convolution3D.Builder} plus {@link #depthMultiplier(int)}. Its
     * {@link #build()} returns a {@link DepthwiseConvolution3D}; the inherited setters return
     * {@code Convolution3D.Builder}, so set the depth multiplier first or cast the built layer.
     */
    public static class Builder extends Convolution3D.Builder {

        private int depthMultiplier = 1;

        public Builder(int... kernelSize) {
            super(kernelSize, new int[] {1, 1, 1});
        }

        /** Kernels per input channel; {@code nOut = nIn·depthMultiplier}. */
        public Builder depthMultiplier(int depthMultiplier) {
            this.depthMultiplier = depthMultiplier;
            return this;
        }

        @Override
        public DepthwiseConvolution3D build() {
            ConvolutionUtils.validateConvolutionModePadding(convolutionMode, padding);
            Convolution3DUtils.validateCnn3DKernelStridePadding(kernelSize, stride, padding);
            return new DepthwiseConvolution3D(this);
        }
    }
}
