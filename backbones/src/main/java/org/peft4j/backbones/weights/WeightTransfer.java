package org.peft4j.backbones.weights;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.peft4j.network.LayerSlot;
import org.peft4j.network.NetworkKind;

/**
 * Copies pretrained weights into a network by layer name and shape: each listed target layer
 * takes the parameters of the one source layer found under one of its accepted names, key by key
 * ({@code W}, {@code b}, ...), and every shape must agree. All layers are checked before any value
 * is written, so a mismatch leaves the target untouched, and the error lists every problem.
 *
 * <p>The one conversion made: batch normalisation's running variance, which DL4J stores either as
 * {@code var} or (its default since 1.0.0-beta4) as {@code log10stdev} = log10(sqrt(var)) = 0.5·log10(var).
 *
 * <pre>{@code
 * ComputationGraph vgg = Vgg16.withPaperHead(3, 224, 4, 0);
 * WeightTransfer.copy(vgg, ModelFiles.read(file, checksum), Vgg16.backboneLayers());
 * }</pre>
 */
public final class WeightTransfer {

    private WeightTransfer() {
    }

    /**
     * What was copied.
     *
     * @param copied       target layer -> the source layer it was filled from, in target order
     * @param unusedSource source layers that filled nothing (e.g. a classifier the head replaces)
     */
    public record Report(Map<String, String> copied, List<String> unusedSource) {
        public Report {
            copied = Collections.unmodifiableMap(new LinkedHashMap<>(copied));
            unusedSource = List.copyOf(unusedSource);
        }
    }

    /**
     * Fills the {@code layers} of {@code target} from {@code source}.
     *
     * @param layers target layer name -> source layer names accepted for it (e.g.
     *     {@code Vgg16.backboneLayers()}); every listed layer must be filled
     * @throws IllegalArgumentException listing, for every problem, the layer, the parameter and both
     *     shapes, a missing or ambiguous source layer, or differing parameter keys
     */
    public static Report copy(Model target, NamedWeights source, Map<String, List<String>> layers) {
        Map<String, LayerSlot> slots = new LinkedHashMap<>();
        NetworkKind.of(target).layers(target).forEach(s -> slots.put(s.name(), s));
        List<String> problems = new ArrayList<>();
        Map<String, String> sourceOf = new LinkedHashMap<>();
        List<Runnable> writes = new ArrayList<>();
        for (Map.Entry<String, List<String>> layer : layers.entrySet()) {
            LayerSlot slot = slots.get(layer.getKey());
            if (slot == null || slot.numParams() == 0) {
                throw new IllegalArgumentException("the target network has no layer '" + layer.getKey()
                        + "' with parameters; its layers: " + slots.keySet());
            }
            List<String> found = layer.getValue().stream().filter(source.layers()::containsKey).distinct().toList();
            if (found.size() != 1) {
                problems.add("layer '" + layer.getKey() + "': " + (found.isEmpty() ? "no source layer named " : "several source layers ")
                        + (found.isEmpty() ? layer.getValue() : found));
                continue;
            }
            sourceOf.put(layer.getKey(), found.get(0));
            plan(layer.getKey(), slot.runtime().paramTable(), found.get(0), source.layers().get(found.get(0)),
                    problems, writes);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("cannot transfer weights from " + source.origin() + " ("
                    + problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + ", nothing was copied):\n  "
                    + String.join("\n  ", problems) + "\n  source layers: " + source.names());
        }
        writes.forEach(Runnable::run);
        Set<String> unused = new LinkedHashSet<>(source.names());
        unused.removeAll(sourceOf.values());
        return new Report(sourceOf, new ArrayList<>(unused));
    }

    private static void plan(String layer, Map<String, INDArray> params, String sourceLayer,
            Map<String, INDArray> sourceParams, List<String> problems, List<Runnable> writes) {
        Set<String> targetKeys = new TreeSet<>(params.keySet());
        Set<String> sourceKeys = new TreeSet<>(sourceParams.keySet());
        if (!targetKeys.equals(sourceKeys) && !varianceKeysDiffer(targetKeys, sourceKeys)) {
            problems.add("layer '" + layer + "' has parameters " + targetKeys + ", source layer '" + sourceLayer
                    + "' has " + sourceKeys);
            return;
        }
        for (Map.Entry<String, INDArray> param : params.entrySet()) {
            INDArray value = sourceValue(param.getKey(), sourceParams);
            INDArray into = param.getValue();
            if (!fits(value, into)) {
                problems.add("layer '" + layer + "' parameter " + param.getKey() + " has shape "
                        + Arrays.toString(into.shape()) + ", source layer '" + sourceLayer + "' gives "
                        + Arrays.toString(value.shape()));
            } else {
                writes.add(() -> into.assign(value.reshape(into.shape()).castTo(into.dataType())));
            }
        }
    }

    private static boolean varianceKeysDiffer(Set<String> target, Set<String> source) {
        Set<String> swapped = new TreeSet<>(source);
        String var = BatchNormalizationParamInitializer.GLOBAL_VAR;
        String logStd = BatchNormalizationParamInitializer.GLOBAL_LOG_STD;
        if (swapped.remove(var)) {
            swapped.add(logStd);
        } else if (swapped.remove(logStd)) {
            swapped.add(var);
        }
        return swapped.equals(target);
    }

    private static INDArray sourceValue(String key, Map<String, INDArray> source) {
        String var = BatchNormalizationParamInitializer.GLOBAL_VAR;
        String logStd = BatchNormalizationParamInitializer.GLOBAL_LOG_STD;
        if (source.containsKey(key)) {
            return source.get(key);
        }
        if (key.equals(logStd)) {
            return Transforms.log(source.get(var), 10.0, true).muli(0.5);
        }
        INDArray log10Std = source.get(logStd);
        return Transforms.pow(Nd4j.valueArrayOf(log10Std.shape(), 10.0, log10Std.dataType()), log10Std.mul(2.0), false);
    }

    private static boolean fits(INDArray value, INDArray into) {
        if (Arrays.equals(value.shape(), into.shape())) {
            return true;
        }
        // a bias stored as [n] in one place and [1, n] in another
        return value.length() == into.length() && isVector(value) && isVector(into);
    }

    private static boolean isVector(INDArray array) {
        return array.rank() == 1 || (array.rank() == 2 && (array.size(0) == 1 || array.size(1) == 1));
    }
}
