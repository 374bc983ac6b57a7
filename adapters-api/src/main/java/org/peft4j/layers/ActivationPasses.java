package org.peft4j.layers;

import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.MulOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A layer's activation function in the core's training passes, {@code a = act(z)} forward and
 * {@code δ = act'(z)·ε} backward, with {@code z} kept intact for the backward pass. The plain ReLU (no maximum,
 * threshold or negative slope: what the VGG-style backbones use) runs as one native op each way
 * ({@code relu(z)} into a new array; {@code step(z)·ε} in place of {@code z}), about 3x cheaper than ND4J's generic route (a copy of
 * {@code z}, then its activation in place; {@code relu_bp}), with identical results; identity is a copy; every
 * other activation takes ND4J's route.
 */
final class ActivationPasses {

    private enum Kind { RELU, IDENTITY, OTHER }

    private final IActivation activation;
    private final Kind kind;

    ActivationPasses(IActivation activation) {
        this.activation = activation;
        if (activation instanceof ActivationReLU relu && relu.getMax() == null && relu.getThreshold() == null
                && relu.getNegativeSlope() == null) {
            this.kind = Kind.RELU;
        } else {
            this.kind = activation instanceof ActivationIdentity ? Kind.IDENTITY : Kind.OTHER;
        }
    }

    /** {@code act(z)}, a new array in the activations workspace; {@code z} is not modified. */
    INDArray forward(INDArray z, LayerWorkspaceMgr workspaceMgr) {
        if (kind == Kind.RELU) {
            INDArray a = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, z.dataType(), z.shape(), 'c');
            Nd4j.exec(new RectifiedLinear(z, a, 0.0));
            return a;
        }
        INDArray a = workspaceMgr.dup(ArrayType.ACTIVATIONS, z, 'c');
        return kind == Kind.IDENTITY ? a : activation.getActivation(a, true);
    }

    /** {@code δ = dL/dz} for {@code ε = dL/da}; {@code z} may be overwritten. */
    INDArray backward(INDArray z, INDArray epsilon) {
        return switch (kind) {
            case RELU -> {
                Nd4j.exec(new Step(z, z, 0.0));
                Nd4j.exec(new MulOp(z, epsilon, z));
                yield z;
            }
            case IDENTITY -> epsilon;
            case OTHER -> activation.backprop(z, epsilon).getFirst();
        };
    }
}
