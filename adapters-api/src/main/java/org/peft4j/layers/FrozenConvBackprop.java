package org.peft4j.layers;

import java.util.Set;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.Convolution1D;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.Convolution2D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The backward pass of a frozen DL4J convolution: the input gradient alone. DL4J's own pass also
 * recomputes the forward im2col and computes the weight gradient that a frozen layer throws away
 * (about four forward passes in all); this one costs two libnd4j convolutions (the pre-activation
 * again, then {@link ConvolutionOps#inputGradient}).
 */
final class FrozenConvBackprop {

    private static final Set<Class<?>> CONFIGS = Set.of(ConvolutionLayer.class, Convolution2D.class,
            Convolution1DLayer.class, Convolution1D.class);
    private static final Set<Class<?>> RUNTIMES = Set.of(
            org.deeplearning4j.nn.layers.convolution.ConvolutionLayer.class,
            org.deeplearning4j.nn.layers.convolution.Convolution1DLayer.class);

    private FrozenConvBackprop() {
    }

    /** True for plain 2D/1D convolutions without weight noise, the layers {@link #inputGradient} handles. */
    static boolean supports(Layer layer) {
        return RUNTIMES.contains(layer.getClass()) && CONFIGS.contains(layer.conf().getLayer().getClass())
                && ((ConvolutionLayer) layer.conf().getLayer()).getWeightNoise() == null;
    }

    /**
     * {@code dL/dx} for the frozen convolution {@code layer} (its input set by the forward pass), in
     * the layer's data format, in the activation-gradient workspace.
     */
    static INDArray inputGradient(Layer layer, INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        ConvolutionLayer conf = (ConvolutionLayer) layer.conf().getLayer();
        INDArray input = layer.input();
        INDArray x = ConvolutionOps.contiguous(ConvLayout.toNchw(conf, input.castTo(epsilon.dataType())));
        ConvGeometry g = ConvGeometry.of(conf, x);
        INDArray kernel = ConvLayout.kernel(conf, layer.getParam(ConvolutionParamInitializer.WEIGHT_KEY))
                .castTo(x.dataType());
        INDArray bias = conf.hasBias() ? layer.getParam(ConvolutionParamInitializer.BIAS_KEY).castTo(x.dataType()) : null;
        INDArray z = Nd4j.createUninitialized(x.dataType(), g.outputShape(x.size(0), conf.getNOut()), 'c');
        ConvolutionOps.forward(x, kernel, bias, g, z);
        INDArray delta = conf.getActivationFn().backprop(z, ConvLayout.toNchw(conf, epsilon)).getFirst();
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, x.dataType(),
                g.inputShape(x.size(0), x.size(1)), 'c');
        ConvolutionOps.inputGradient(delta, kernel, g, out);
        return ConvLayout.fromNchw(conf, out);
    }
}
