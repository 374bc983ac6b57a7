package org.peft4j.testkit;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.peft4j.network.LayerSlot;
import org.peft4j.network.NetworkKind;
import org.peft4j.ops.DilatedConvolutions;
import org.peft4j.spi.AdaptedLayer;

/** Small helpers over MultiLayerNetwork and ComputationGraph for tests. */
public final class Nets {

    private Nets() {
    }

    /**
     * Inference output of a single-output network. A network with a dilated convolution runs with libnd4j's
     * platform helpers off: on the oneDNN natives DL4J's own 1D and 3D layers cannot run those at all (peft4j's can)
     * and its 2D layer falls back to its im2col route, so base, adapted and merged networks are compared on the
     * same ops.
     */
    public static INDArray output(Model network, INDArray features) {
        return DilatedConvolutions.run(hasDilatedConvolution(network), () -> network instanceof MultiLayerNetwork mln
                ? mln.output(features, false) : ((ComputationGraph) network).outputSingle(false, features));
    }

    /** True when {@code network} has a convolution (plain or wrapped by peft4j) with a dilation above 1. */
    public static boolean hasDilatedConvolution(Model network) {
        for (LayerSlot slot : layers(network)) {
            Layer config = slot.config() instanceof BaseWrapperLayer wrapper ? wrapper.getUnderlying() : slot.config();
            int[] dilation = config instanceof Convolution3D c ? c.getDilation()
                    : config instanceof ConvolutionLayer c ? c.getDilation() : new int[0];
            for (int d : dilation) {
                if (d != 1) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {@code max |a - b| / max |b|}: the error relative to the largest magnitude of {@code b}. */
    public static double normRelativeError(INDArray a, INDArray b) {
        INDArray expected = b.castTo(DataType.DOUBLE);
        double scale = expected.amaxNumber().doubleValue();
        return a.castTo(DataType.DOUBLE).sub(expected).amaxNumber().doubleValue() / (scale == 0 ? 1 : scale);
    }

    /** The network's gradient (all parameters, flat) for one batch, a copy. */
    public static INDArray gradient(Model network, DataSet data) {
        if (network instanceof MultiLayerNetwork mln) {
            mln.setInput(data.getFeatures());
            mln.setLabels(data.getLabels());
            mln.computeGradientAndScore();
            return mln.gradient().gradient().dup();
        }
        ComputationGraph graph = (ComputationGraph) network;
        graph.setInputs(data.getFeatures());
        graph.setLabels(data.getLabels());
        graph.computeGradientAndScore();
        return graph.gradient().gradient().dup();
    }

    /** {@code iterations} training steps on one batch. */
    public static void fit(Model network, DataSet data, int iterations) {
        for (int i = 0; i < iterations; i++) {
            if (network instanceof MultiLayerNetwork mln) {
                mln.fit(data);
            } else {
                ((ComputationGraph) network).fit(data);
            }
        }
    }

    public static List<LayerSlot> layers(Model network) {
        return NetworkKind.of(network).layers(network);
    }

    /** Copies of the parameters, by {@code layer/key}, selected by {@code frozen}. */
    public static Map<String, INDArray> snapshot(Model network, boolean frozen) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (LayerSlot slot : layers(network)) {
            for (Map.Entry<String, INDArray> p : slot.runtime().paramTable().entrySet()) {
                if (isFrozen(slot, p.getKey()) == frozen) {
                    out.put(slot.name() + "/" + p.getKey(), p.getValue().dup());
                }
            }
        }
        return out;
    }

    /** The names {@code net.paramTable()} uses for frozen parameters, for GradientCheckUtil's exclusions. */
    public static Set<String> frozenParamNames(Model network) {
        Set<String> names = new HashSet<>();
        for (LayerSlot slot : layers(network)) {
            String prefix = network instanceof MultiLayerNetwork ? String.valueOf(slot.index()) : slot.name();
            for (String key : slot.runtime().paramTable().keySet()) {
                if (isFrozen(slot, key)) {
                    names.add(prefix + "_" + key);
                }
            }
        }
        return names;
    }

    /** Adapter parameters by {@code layer/key} (live views). */
    public static Map<String, INDArray> adapterParams(Model network) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (LayerSlot slot : layers(network)) {
            if (slot.config() instanceof AdaptedLayer adapted) {
                for (String key : adapted.adapterKeys()) {
                    out.put(slot.name() + "/" + key, slot.runtime().paramTable().get(key));
                }
            }
        }
        return out;
    }

    static boolean isFrozen(LayerSlot slot, String key) {
        return slot.config() instanceof FrozenLayerWithBackprop
                || (slot.config() instanceof AdaptedLayer a && a.frozenKeys().contains(key));
    }

    /** The values of {@code array} as doubles, in c order (exact for float and double). */
    public static double[] values(INDArray array) {
        return array.dup('c').castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE).data().asDouble();
    }

    /** Largest |a - b| / max(1, |b|) over all elements. */
    public static double maxRelativeError(INDArray a, INDArray b) {
        double[] x = values(a);
        double[] y = values(b);
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            worst = Math.max(worst, Math.abs(x[i] - y[i]) / Math.max(1.0, Math.abs(y[i])));
        }
        return worst;
    }

    /** Layer configuration class names in network order. */
    public static List<String> layerTypes(Model network) {
        List<String> types = new ArrayList<>();
        layers(network).forEach(s -> types.add(s.config().getClass().getName()));
        return types;
    }
}
