package org.peft4j.clora;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.peft4j.spi.BaseAdapterMethod;
import org.peft4j.spi.LayerAdapter;
import org.peft4j.spi.LayerPlan;
import org.peft4j.spi.ParameterGroup;
import org.peft4j.spi.TargetLayer;
import org.peft4j.spi.WeightShape;

/**
 * CLoRA ("Collaborative Low-Rank Adaptation for Pre-Trained Vision Transformers", arXiv 2512.24603), method
 * name {@code clora}, for {@link DenseLayer}, 2D {@link ConvolutionLayer}, {@link Convolution1DLayer} and
 * {@link Convolution3D}: the adapted layers draw their
 * low-rank updates from shared pools of bases, {@code ΔW_j = s·Σ_h D_h·Q_h^j·U_h} with a trainable
 * {@code r x r} mixing matrix per module and basis, and the SADE term ({@link Sade}) keeps a module's p
 * matrices diverse.
 *
 * <p>Pools (peft4j's design, docs/methods/clora.md): the down pool of a layer is shared by the selected layers of the
 * same kind (dense, 1D, 2D or 3D convolution) with the same input signature (dense nIn; convolution
 * {@code (C_in, k...)}), its up pool by those of the same kind with the same output width (nOut; {@code C_out}).
 * Each pool is a {@link ParameterGroup} held by its first member in network order; a layer belongs to two
 * groups, whose owners may differ.
 */
public final class CloraMethod extends BaseAdapterMethod<CloraConfig> {

    public static final String NAME = "clora";

    public CloraMethod() {
        super(NAME, CloraConfig.class, CloraConfig.DEFAULT, List.of(DenseLayer.class, ConvolutionLayer.class, Convolution1DLayer.class, Convolution3D.class));
    }

    @Override
    public Map<String, LayerPlan> plan(List<TargetLayer> targets, CloraConfig config) {
        Map<String, List<String>> downPools = new LinkedHashMap<>();
        Map<String, List<String>> upPools = new LinkedHashMap<>();
        List<TargetLayer> ordered = new ArrayList<>(targets);
        ordered.sort((a, b) -> Integer.compare(a.index(), b.index()));
        for (TargetLayer target : ordered) {
            requireRankFits(target, config);
            downPools.computeIfAbsent(downKey(target.config()), k -> new ArrayList<>()).add(target.name());
            upPools.computeIfAbsent(upKey(target.config()), k -> new ArrayList<>()).add(target.name());
        }
        Map<String, LayerPlan> plans = new LinkedHashMap<>();
        for (TargetLayer target : targets) {
            String down = downKey(target.config());
            String up = upKey(target.config());
            plans.put(target.name(), new CloraPlacement(new ParameterGroup(down, downPools.get(down)),
                    new ParameterGroup(up, upPools.get(up)), targets.size()).toPlan());
        }
        return plans;
    }

    /** A basis pair {@code D_h·U_h} wider than the layer's {@link WeightShape#maxRank()} makes no sense for it. */
    private static void requireRankFits(TargetLayer target, CloraConfig config) {
        WeightShape weight = WeightShape.of(target.config()).orElseThrow();
        if (config.rank() > weight.maxRank()) {
            throw new IllegalArgumentException("clora: rank r = " + config.rank() + " is too large for layer '"
                    + target.name() + "' (" + target.config().getClass().getSimpleName() + ", "
                    + weight.describeWidths() + "), whose update has rank at most " + weight.maxRank()
                    + "; choose r <= " + weight.maxRank() + " or leave the layer out of the targets");
        }
    }

    @Override
    public LayerAdapter adapter(WeightShape weight, CloraConfig config, LayerPlan plan) {
        return new Clora(weight, config, CloraPlacement.of(plan));
    }

    /**
     * The down pool's id, naming the layer kind and its input signature: {@code clora:down:dense[nIn=784]},
     * {@code clora:down:conv1d[C_in=8,k=5]}, {@code clora:down:conv2d[C_in=16,k=3x3]} or
     * {@code clora:down:conv3d[C_in=4,k=3x3x3]}; kernels of different dimension never share a pool.
     */
    static String downKey(Layer layer) {
        if (layer instanceof DenseLayer dense) {
            return "clora:down:dense[nIn=" + dense.getNIn() + "]";
        }
        ConvolutionLayer conv = (ConvolutionLayer) layer;
        int[] kernel = layer instanceof Convolution1DLayer ? new int[] {conv.getKernelSize()[0]} : conv.getKernelSize();
        return "clora:down:" + convKind(layer) + "[C_in=" + conv.getNIn() + ",k="
                + Arrays.stream(kernel).mapToObj(String::valueOf).collect(Collectors.joining("x")) + "]";
    }

    /**
     * The up pool's id: {@code clora:up:dense[nOut=10]}, or {@code clora:up:conv2d[C_out=32]} (likewise
     * {@code conv1d}, {@code conv3d}): each layer kind has its own up pools.
     */
    static String upKey(Layer layer) {
        if (layer instanceof DenseLayer dense) {
            return "clora:up:dense[nOut=" + dense.getNOut() + "]";
        }
        return "clora:up:" + convKind(layer) + "[C_out=" + ((ConvolutionLayer) layer).getNOut() + "]";
    }

    private static String convKind(Layer layer) {
        if (layer instanceof Convolution1DLayer) {
            return "conv1d";
        }
        return layer instanceof Convolution3D ? "conv3d" : "conv2d";
    }
}
