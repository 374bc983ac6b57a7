package org.peft4j.conv3d;

import java.util.Arrays;
import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.BaseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Broadcast;
import org.nd4j.linalg.factory.Nd4j;
import org.peft4j.ops.Conv3dGeometry;

/**
 * Runtime of {@link DepthwiseConvolution3D}. Works channels last internally (see
 * {@link DepthwiseConv3d}); an NCDHW input is permuted once on the way in and the result once on
 * the way out.
 */
public class DepthwiseConvolution3DRuntime extends BaseLayer<DepthwiseConvolution3D> {

    public DepthwiseConvolution3DRuntime(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        applyDropOutIfNecessary(training, workspaceMgr);
        INDArray z = preOutput(training, workspaceMgr);
        return layerConf().getActivationFn().getActivation(z, training);
    }

    @Override
    protected INDArray preOutput(boolean training, LayerWorkspaceMgr workspaceMgr) {
        Forward forward = forward(training, workspaceMgr);
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, forward.output.dataType(),
                forward.geometry.shape(input.size(0), layerConf().getNOut(), true), 'c');
        out.assign(forward.geometry.ncdhw() ? forward.output.permute(0, 4, 1, 2, 3) : forward.output);
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        Forward forward = forward(true, workspaceMgr);
        Conv3dGeometry geometry = forward.geometry;
        INDArray epsilonLast = geometry.ncdhw() ? epsilon.permute(0, 2, 3, 4, 1) : epsilon;
        INDArray delta = layerConf().getActivationFn().backprop(forward.output, epsilonLast.castTo(dataType))
                .getFirst();
        delta = DepthwiseConv3d.contiguous(delta);

        Gradient gradient = new DefaultGradient();
        INDArray weightGrad = gradientViews.get(DepthwiseConvolution3DParamInitializer.WEIGHT);
        DepthwiseConv3d.weightGradient(forward.input, delta, geometry, taps(weightGrad));
        gradient.gradientForVariable().put(DepthwiseConvolution3DParamInitializer.WEIGHT, weightGrad);
        if (layerConf().hasBias()) {
            INDArray biasGrad = gradientViews.get(DepthwiseConvolution3DParamInitializer.BIAS);
            biasGrad.assign(delta.reshape(-1, delta.size(4)).sum(0));
            gradient.gradientForVariable().put(DepthwiseConvolution3DParamInitializer.BIAS, biasGrad);
        }

        INDArray inputGrad = DepthwiseConv3d.inputGradient(delta, taps(forward.weights), geometry);
        int multiplier = layerConf().getDepthMultiplier();
        if (multiplier > 1) {
            long[] s = inputGrad.shape();
            inputGrad = inputGrad.reshape('c', s[0], s[1], s[2], s[3], s[4] / multiplier, multiplier).sum(5);
        }
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, inputGrad.dataType(),
                geometry.shape(input.size(0), layerConf().getNIn(), false), 'c');
        out.assign(geometry.ncdhw() ? inputGrad.permute(0, 4, 1, 2, 3) : inputGrad);
        weightNoiseParams.clear();
        return new Pair<>(gradient, backpropDropOutIfPresent(out));
    }

    /** The pre-activation channels last, [N, oD, oH, oW, nOut], with what backprop reuses. */
    private Forward forward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray x = input.castTo(dataType);
        Conv3dGeometry geometry = Conv3dGeometry.of(layerConf(), x);
        long channels = geometry.ncdhw() ? x.size(1) : x.size(4);
        if (channels != layerConf().getNIn()) {
            throw new DL4JInvalidInputException("DepthwiseConvolution3D layer '" + layerConf().getLayerName()
                    + "' expects " + layerConf().getNIn() + " input channels, got input of shape "
                    + Arrays.toString(x.shape()) + " (" + layerConf().getDataFormat() + ")");
        }
        INDArray weights = getParamWithNoise(DepthwiseConvolution3DParamInitializer.WEIGHT, training, workspaceMgr);
        PaddedVolume padded = DepthwiseConv3d.paddedInput(geometry.ncdhw() ? x.permute(0, 2, 3, 4, 1) : x, geometry,
                layerConf().getDepthMultiplier());
        INDArray y = Nd4j.createUninitialized(dataType, geometry.channelsLastShape(x.size(0), layerConf().getNOut(), true));
        DepthwiseConv3d.forward(padded, taps(weights), geometry, y);
        if (layerConf().hasBias()) {
            Broadcast.add(y, getParamWithNoise(DepthwiseConvolution3DParamInitializer.BIAS, training, workspaceMgr), y, 4);
        }
        return new Forward(geometry, padded, weights, y);
    }

    /** {@code W} [kD, kH, kW, nIn, m] seen as [taps, nIn·m]: row t holds every output channel's weight at tap t. */
    private static INDArray taps(INDArray weights) {
        return weights.reshape('c', weights.size(0) * weights.size(1) * weights.size(2),
                weights.size(3) * weights.size(4));
    }

    @Override
    public Type type() {
        return Type.CONVOLUTIONAL;
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public boolean hasBias() {
        return layerConf().hasBias();
    }

    private record Forward(Conv3dGeometry geometry, PaddedVolume input, INDArray weights, INDArray output) {
    }
}
