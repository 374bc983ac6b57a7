package org.peft4j.layers;

import java.util.Optional;
import java.util.function.Supplier;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.peft4j.ops.Conv2dRoute;
import org.peft4j.ops.Conv3dRoute;
import org.peft4j.ops.ConvPass;
import org.peft4j.ops.DenseRoute;
import org.peft4j.ops.DilatedConvolutions;
import org.peft4j.ops.LayerRoute;
import org.peft4j.spi.DirectConvGradients;
import org.peft4j.spi.WeightShape;

/**
 * The passes of a dense layer or a convolution on native ops ({@link LayerRoute}). Training: forward with the
 * merged kernel, keeping the pre-activation {@code z} for the backward pass of the same input
 * ({@link PreActivationCache}); backward {@code δ = act'(z)·ε}, then one op for {@code dL/dx} and, when adapted,
 * {@code G = dL/dW} and {@code dL/db}, handed to the adapter. Inference stays in the wrapped DL4J layer, so that
 * a frozen or zero adapter reproduces the base network bit for bit. Used for layers without input dropout,
 * weight noise, a mask, layer normalisation or a training branch; the others run through the wrapped DL4J layer.
 */
final class NativePasses {

    private final LayerRuntime layer;
    private final WeightShape weight;
    private final LayerRoute route;
    private final ActivationPasses activation;
    private final boolean dense;
    private final boolean dilated;
    private final PreActivationCache cache = new PreActivationCache();
    private INDArray cachedKernel;

    NativePasses(LayerRuntime layer, WeightShape weight) {
        this.layer = layer;
        this.weight = weight;
        org.deeplearning4j.nn.conf.layers.Layer conf = WrappedParamInitializer.underlying(layer.conf().getLayer());
        this.dense = conf instanceof DenseLayer;
        if (dense) {
            this.route = new DenseRoute((DenseLayer) conf);
        } else {
            this.route = conf instanceof Convolution3D conv3d ? new Conv3dRoute(conv3d)
                    : new Conv2dRoute((ConvolutionLayer) conf);
        }
        this.activation = new ActivationPasses(((BaseLayer) conf).getActivationFn());
        this.dilated = !dense && isDilated(conf);
    }

    /** True for the layers these passes can run: convolutions, and DL4J's plain dense layer without layer norm. */
    static boolean supports(org.deeplearning4j.nn.conf.layers.Layer conf) {
        return conf instanceof ConvolutionLayer || conf instanceof Convolution3D
                || conf.getClass() == DenseLayer.class && !((DenseLayer) conf).hasLayerNorm();
    }

    /** True when this pass can run on native ops: no input dropout, no weight noise, no mask, no branch. */
    boolean fastPathFor(Layer inner) {
        BaseLayer conf = (BaseLayer) inner.conf().getLayer();
        return conf.getIDropout() == null && conf.getWeightNoise() == null && inner.getMaskArray() == null
                && !BranchedDense.active(inner) && (!dense || inner.input() == null || inner.input().rank() == 2);
    }

    /**
     * The activations of a training forward pass, in the layer's format. The pre-activation and the merged kernel
     * live in the activations workspace, which stays open until the backward pass of the same input.
     */
    INDArray forward(LayerWorkspaceMgr workspaceMgr) {
        INDArray input = layer.inner().input();
        INDArray x = input.castTo(dataType());
        INDArray kernel;
        INDArray bias;
        INDArray z;
        try (MemoryWorkspace ignored = workspaceMgr.notifyScopeBorrowed(ArrayType.ACTIVATIONS)) {
            kernel = layer.merged().kernel();
            bias = layer.merged().bias();
            z = Nd4j.createUninitialized(dataType(), route.outputShape(x), 'c');
        }
        route.forward(x, kernel, bias, z);
        cache.store(z, input);
        cachedKernel = kernel;
        return activation.forward(z, workspaceMgr);
    }

    /** {@code dL/dx} (null when the layer needs none) after writing the adapter gradients. */
    INDArray backward(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        AdapterBinding adapter = layer.binding();
        if (adapter == null && !layer.inputGradient()) {
            clear();
            return null;
        }
        INDArray input = layer.inner().input();
        INDArray x = input.castTo(dataType());
        INDArray z = cache.take(input);
        INDArray kernel = cachedKernel;
        if (z == null || kernel == null) {
            INDArray bias;
            try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                kernel = layer.merged().kernel();
                bias = layer.merged().bias();
            }
            z = Nd4j.createUninitialized(dataType(), route.outputShape(x), 'c');
            route.forward(x, kernel, bias, z);
        }
        cachedKernel = null;
        INDArray delta = activation.backward(z, epsilon.castTo(dataType()));
        INDArray dx = layer.inputGradient()
                ? workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType(), x.shape(), 'c') : null;
        Optional<DirectConvGradients> direct = adapter == null ? Optional.empty() : adapter.adapter().directConvGradients();
        Optional<ConvPass> pass = direct.isPresent() && route instanceof Conv2dRoute conv ? conv.directPass(x, delta)
                : Optional.empty();
        if (pass.isPresent()) {
            if (dx != null) {
                route.inputGradient(x, kernel, delta, dx);
            }
            direct.get().backward(adapter.parameters(), pass.get(), weight.bias() ? pass.get().biasGradient() : null,
                    adapter.gradients(x.size(0), layer.conf().isMiniBatch()));
        } else if (adapter != null) {
            INDArray g = Nd4j.createUninitialized(dataType(), weight.shape(), 'c');
            INDArray gb = weight.bias() ? Nd4j.createUninitialized(dataType(), weight.outputs()) : null;
            route.backward(x, kernel, delta, dx, g, gb);
            adapter.adapter().backward(adapter.parameters(), g, gb,
                    adapter.gradients(x.size(0), layer.conf().isMiniBatch()));
        } else if (dx != null) {
            route.inputGradient(x, kernel, delta, dx);
        }
        return dx;
    }

    /** Runs a pass of the wrapped DL4J layer, working around the oneDNN natives' dilated float convolutions. */
    <T> T guarded(Supplier<T> pass) {
        return DilatedConvolutions.run(dilated && dataType() != DataType.DOUBLE, pass);
    }

    void clear() {
        cache.clear();
        cachedKernel = null;
    }

    private DataType dataType() {
        return layer.params().dataType();
    }

    private static boolean isDilated(org.deeplearning4j.nn.conf.layers.Layer conf) {
        int[] dilation = conf instanceof Convolution3D conv3d ? conv3d.getDilation() : ((ConvolutionLayer) conf).getDilation();
        for (int d : dilation) {
            if (d != 1) {
                return true;
            }
        }
        return false;
    }
}
