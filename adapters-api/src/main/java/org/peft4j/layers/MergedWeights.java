package org.peft4j.layers;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.pairwise.arithmetic.AddOp;
import org.nd4j.linalg.factory.Nd4j;
import org.peft4j.ops.KernelLayout;
import org.peft4j.spi.AdapterParameter;
import org.peft4j.spi.AdapterParameters;
import org.peft4j.spi.WeightShape;

/**
 * The weights a layer computes with: the frozen {@code W0}, {@code b0}, plus the adapter's {@code ΔW},
 * {@code Δb}. An adapted layer's DL4J runtime runs on a private copy of its base parameters, overwritten with
 * the merged values before each use ({@link #prepare}); a frozen layer's runs on the network's own. The DL4J
 * runtime also gets a private gradient array, so that the weight gradient its backward pass forms never
 * lands in the network's gradient views of the frozen keys.
 */
final class MergedWeights {

    private static final String WEIGHT = "W";
    private static final String BIAS = "b";

    private final WeightShape weight;
    private final boolean adapted;
    private final long baseLength;
    private final DataType dataType;
    private final INDArray effective;
    private Map<String, INDArray> params = Map.of();
    private AdapterBinding adapter;
    private Map<String, INDArray> innerGradients;
    private INDArray flat;
    private List<String> sharedKeys = List.of();
    private MergeSnapshot lastWritten;

    /**
     * @param base the wrapped layer's configuration when adapted, null for a frozen layer
     */
    MergedWeights(WeightShape weight, org.deeplearning4j.nn.conf.layers.Layer base, Map<String, INDArray> params,
            long baseLength, DataType dataType) {
        this.weight = weight;
        this.adapted = base != null;
        this.baseLength = baseLength;
        this.dataType = dataType;
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            this.effective = adapted ? Nd4j.create(dataType, 1, baseLength) : null;
        }
        this.params = params;
    }

    /** The private flat array an adapted layer's DL4J runtime computes on. */
    INDArray effectiveView() {
        return effective;
    }

    /**
     * @param paramsView the layer's flat parameter view, {@code [frozen base parameters | held adapter parameters]}
     */
    void bind(Map<String, INDArray> params, AdapterBinding adapter, INDArray paramsView) {
        this.params = params;
        this.adapter = adapter;
        this.flat = paramsView == null ? null : paramsView.reshape(1, paramsView.length());
        this.lastWritten = null;
        if (adapter != null) {
            List<String> held = adapter.heldKeys();
            this.sharedKeys = adapter.adapter().parameters().stream().map(AdapterParameter::key)
                    .filter(k -> !held.contains(k)).toList();
        }
    }

    /**
     * Readies {@code inner} (the wrapped DL4J runtime) to compute: merged weights written into its parameters
     * (or the base ones when {@code baseOnly}, for a layer that trains through a separate branch), and a private
     * gradient array.
     */
    void prepare(Layer inner, boolean baseOnly) {
        if (innerGradients == null) {
            try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                INDArray gradients = Nd4j.create(dataType, 1, baseLength);
                inner.setBackpropGradientsViewArray(gradients);
                innerGradients = inner.conf().getLayer().initializer().getGradientsFromFlattened(inner.conf(), gradients);
            }
        }
        if (!adapted) {
            return;
        }
        if (lastWritten != null && lastWritten.matches(baseOnly, flat, baseLength, adapter.parameters())) {
            return;
        }
        MergeSnapshot now = MergeSnapshot.take(baseOnly, flat, baseLength, sharedKeys, adapter.parameters());
        INDArray biasDelta = baseOnly ? null : biasDelta(adapter.parameters());
        Map<String, INDArray> innerParams = inner.paramTable();
        for (Map.Entry<String, INDArray> entry : innerParams.entrySet()) {
            String key = entry.getKey();
            if (!baseOnly && key.equals(WEIGHT)) {
                Nd4j.exec(new AddOp(params.get(WEIGHT), layout(adapter.adapter().weightDelta(adapter.parameters())),
                        entry.getValue()));
            } else if (key.equals(BIAS) && biasDelta != null) {
                Nd4j.exec(new AddOp(params.get(BIAS), biasDelta.reshape(entry.getValue().shape()), entry.getValue()));
            } else {
                entry.getValue().assign(params.get(key));
            }
        }
        lastWritten = now;
    }

    /** The merged kernel {@code W0 + ΔW} in the layout of {@link WeightShape#shape()}, a new array or a view of W0. */
    INDArray kernel() {
        INDArray base = KernelLayout.kernel(weight, params.get(WEIGHT));
        if (!adapted) {
            return base;
        }
        INDArray delta = adapter.adapter().weightDelta(adapter.parameters());
        return delta.reshape(weight.shape()).addi(base);
    }

    /** The merged bias {@code b0 + Δb} as {@code [nOut]}, or null without a bias. */
    INDArray bias() {
        INDArray b = params.get(BIAS);
        if (b == null || !weight.bias()) {
            return null;
        }
        INDArray delta = adapted ? biasDelta(adapter.parameters()) : null;
        return delta == null ? b.reshape(b.length()) : delta.reshape(b.length()).addi(b.reshape(b.length()));
    }

    /** {@code G = dL/dW} of the last backward pass of the DL4J runtime, in the layout of {@link WeightShape#shape()}. */
    INDArray kernelGradient() {
        return KernelLayout.kernel(weight, innerGradients.get(WEIGHT));
    }

    /** {@code dL/db [nOut]} of the last backward pass of the DL4J runtime, or null without a bias. */
    INDArray biasGradient() {
        INDArray b = innerGradients.get(BIAS);
        return b == null || !weight.bias() ? null : b.reshape(b.length());
    }

    /**
     * The merge delta by frozen key, in DL4J's layouts and in {@code params}' data type: {@code W: ΔW},
     * {@code b: Δb} (when the adapter changes the bias).
     */
    Map<String, INDArray> delta(AdapterParameters exact) {
        Map<String, INDArray> delta = new HashMap<>();
        delta.put(WEIGHT, layout(adapter.adapter().weightDelta(exact)));
        INDArray bias = biasDelta(exact);
        if (bias != null) {
            delta.put(BIAS, bias.reshape(params.get(BIAS).shape()));
        }
        return delta;
    }

    /** Forgets what was computed from the weights (they changed). */
    void invalidate() {
        lastWritten = null;
        if (adapter != null) {
            adapter.invalidate();
        }
    }

    private INDArray biasDelta(AdapterParameters parameters) {
        return weight.bias() ? adapter.adapter().biasDelta(parameters) : null;
    }

    /** {@code delta} ({@link WeightShape#shape()}) in the layout of DL4J's {@code W}. */
    private INDArray layout(INDArray delta) {
        INDArray w = params.get(WEIGHT);
        if (weight.kind() == WeightShape.Kind.CONV1D) {
            return KernelLayout.weights(weight, delta, w.shape());
        }
        return delta.reshape('c', w.shape());
    }

    @Override
    public String toString() {
        return "MergedWeights{" + weight + (adapted ? ", adapted" : ", frozen") + "}";
    }
}
