package org.peft4j.layers;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Keeps a layer's pre-activation {@code z} from a training forward pass for the backward pass of
 * the same input, so that backprop need not compute the convolution again (DL4J's own layers do,
 * unless a cache mode is configured).
 *
 * <p>{@code z} lives where the forward pass put it, normally the network's activation workspace,
 * which stays open until the backward pass ends. It is handed out only for the very input object
 * it was computed from and only while its workspace is open in the same generation (the test of
 * ND4J's {@code WorkspaceUtils.assertValidArray}); otherwise the caller recomputes it. It is handed
 * out once, because activation backprop may overwrite it.
 */
public final class PreActivationCache {

    private INDArray z;
    private INDArray input;

    /** Remembers {@code z}, computed in a training forward pass from {@code input}. */
    public void store(INDArray z, INDArray input) {
        this.z = z;
        this.input = input;
    }

    /** The remembered pre-activation for {@code input}, or null when there is no valid one; forgets it. */
    public INDArray take(INDArray input) {
        INDArray cached = z;
        boolean match = cached != null && this.input == input && valid(cached);
        clear();
        return match ? cached : null;
    }

    /** Forgets the remembered array. */
    public void clear() {
        z = null;
        input = null;
    }

    private static boolean valid(INDArray array) {
        if (!array.isAttached()) {
            return !array.wasClosed();
        }
        MemoryWorkspace workspace = array.data().getParentWorkspace();
        return workspace.getWorkspaceType() != MemoryWorkspace.Type.CIRCULAR && workspace.isScopeActive()
                && workspace.getGenerationId() == array.data().getGenerationId();
    }
}
