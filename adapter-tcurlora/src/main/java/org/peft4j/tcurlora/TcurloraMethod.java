package org.peft4j.tcurlora;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

/**
 * tCURLoRA (Cheng et al., "tCURLoRA: Tensor CUR Decomposition Based Low-Rank Parameter Adaptation",
 * arXiv 2501.02227), method name {@code tcurlora}, for {@link DenseLayer}, {@link ConvolutionLayer},
 * {@link Convolution1DLayer} and {@link Convolution3D}. Weights become frontal slices of third-order
 * tensors; each tensor gets frozen CUR factors and ONE trainable core {@code dU [n3, r, r]} shared by
 * its layers ({@link TensorCur}, {@link CurFactors}).
 *
 * <p>Tensor formation ({@link TcurloraConfig}): in group mode, layers with the same type and weight shape
 * are stacked in network order (slice l = the l-th such layer; convolution slices
 * {@code [C_out, C_in·taps]}, dense slices {@code W0ᵀ}); in taps mode, each convolution with more than
 * one tap is its own tensor {@code [C_out, C_in, taps]}. A layer the mode cannot place gets the
 * configured fallback, or an error naming it. {@code r <= min(n1, n2)} is checked per tensor.
 */
public final class TcurloraMethod extends BaseAdapterMethod<TcurloraConfig> {

    public static final String NAME = "tcurlora";

    /**
     * The setting the benchmarks use: r = 8, group mode, fallback AUTO (networks such as vgg-mini, whose
     * convolutions all differ in shape, get taps mode or matrix CUR per layer instead of an error).
     */
    public static final TcurloraConfig BENCHMARK_CONFIG = new TcurloraConfig(8, TcurloraConfig.Mode.GROUP,
            TcurloraConfig.Fallback.AUTO);

    public TcurloraMethod() {
        super(NAME, TcurloraConfig.class, TcurloraConfig.DEFAULT, List.of(DenseLayer.class, ConvolutionLayer.class, Convolution1DLayer.class, Convolution3D.class));
    }

    @Override
    public Map<String, LayerPlan> plan(List<TargetLayer> targets, TcurloraConfig config) {
        Map<String, List<TargetLayer>> byShape = new LinkedHashMap<>();
        for (TargetLayer target : targets) {
            byShape.computeIfAbsent(SliceShape.of(target.config()).key(), k -> new ArrayList<>()).add(target);
        }
        Map<String, TcurPlacement> placements = new LinkedHashMap<>();
        for (TargetLayer target : targets) {
            SliceShape shape = SliceShape.of(target.config());
            List<TargetLayer> partners = byShape.get(shape.key());
            if (config.mode() == TcurloraConfig.Mode.GROUP && partners.size() > 1) {
                List<String> names = partners.stream().map(TargetLayer::name).toList();
                placements.put(target.name(), checked(target, new TcurPlacement(new ParameterGroup(names.get(0), names),
                        false, names.indexOf(target.name()), names.size(), shape.rows(), shape.inChannels() * shape.taps()),
                        config));
            } else if (config.mode() == TcurloraConfig.Mode.TAPS && shape.taps() > 1) {
                placements.put(target.name(), checked(target, taps(target, shape), config));
            } else {
                placements.put(target.name(), checked(target, fallback(target, shape, config, byShape.keySet()), config));
            }
        }
        Map<String, LayerPlan> plans = new LinkedHashMap<>();
        placements.forEach((name, placement) -> plans.put(name, placement.toPlan()));
        return plans;
    }

    @Override
    public LayerAdapter adapter(org.peft4j.spi.WeightShape weight, TcurloraConfig config, LayerPlan plan) {
        return new Tcurlora(weight, config, TcurPlacement.of(plan));
    }

    private static TcurPlacement fallback(TargetLayer target, SliceShape shape, TcurloraConfig config,
            java.util.Set<String> shapes) {
        String why = config.mode() == TcurloraConfig.Mode.GROUP
                ? "has no selected partner with the same weight shape " + shape + " to form a tensor with (shapes of the "
                        + "selected layers: " + shapes + ")"
                : "has a single kernel tap " + shape + ", so taps mode cannot place it";
        TcurloraConfig.Fallback fallback = config.fallback();
        if (fallback == TcurloraConfig.Fallback.AUTO) {
            boolean tapsFit = shape.taps() > 1 && config.rank() <= Math.min(shape.rows(), shape.inChannels());
            fallback = tapsFit ? TcurloraConfig.Fallback.TAPS : TcurloraConfig.Fallback.MATRIX;
        }
        return switch (fallback) {
            case TAPS -> {
                if (shape.taps() == 1) {
                    throw new IllegalArgumentException("tcurlora: layer '" + target.name() + "' " + why
                            + ", and the taps fallback needs a convolution with more than one tap; use fallback MATRIX or AUTO");
                }
                yield taps(target, shape);
            }
            case MATRIX -> new TcurPlacement(new ParameterGroup(target.name(), List.of(target.name())), false, 0, 1,
                    shape.rows(), shape.inChannels() * shape.taps());
            default -> throw new IllegalArgumentException("tcurlora: layer '" + target.name() + "' " + why
                    + "; select its partners too, or set fallback TAPS, MATRIX or AUTO");
        };
    }

    private static TcurPlacement taps(TargetLayer target, SliceShape shape) {
        return new TcurPlacement(new ParameterGroup(target.name(), List.of(target.name())), true, 0, (int) shape.taps(),
                shape.rows(), shape.inChannels());
    }

    private static TcurPlacement checked(TargetLayer target, TcurPlacement placement, TcurloraConfig config) {
        if (config.rank() > Math.min(placement.rows(), placement.cols())) {
            throw new IllegalArgumentException("tcurlora: rank " + config.rank() + " exceeds min(n1, n2) = "
                    + Math.min(placement.rows(), placement.cols()) + " for layer '" + target.name() + "', whose tensor has "
                    + placement.n3() + " slices of [" + placement.rows() + ", " + placement.cols() + "]"
                    + (placement.taps() ? " (taps mode)" : "") + " (group " + placement.group().members() + ")");
        }
        return placement;
    }

    /**
     * A target's weight as the kernel {@code [rows, inChannels, taps]}: dense {@code W0ᵀ} with one tap, a convolution
     * its kernel with the spatial axes flattened row-major.
     *
     * @param type    the DL4J layer class
     * @param kernel  the spatial kernel sizes (empty for dense)
     */
    record SliceShape(String type, long rows, long inChannels, int[] kernel) {

        static SliceShape of(Layer layer) {
            if (layer instanceof DenseLayer dense) {
                return new SliceShape("DenseLayer", dense.getNOut(), dense.getNIn(), new int[0]);
            }
            if (layer instanceof Convolution3D conv) {
                return new SliceShape("Convolution3D", conv.getNOut(), conv.getNIn(), conv.getKernelSize());
            }
            if (layer instanceof Convolution1DLayer conv) {
                return new SliceShape("Convolution1DLayer", conv.getNOut(), conv.getNIn(), new int[] {conv.getKernelSize()[0]});
            }
            ConvolutionLayer conv = (ConvolutionLayer) layer;
            return new SliceShape("ConvolutionLayer", conv.getNOut(), conv.getNIn(), conv.getKernelSize());
        }

        long taps() {
            long taps = 1;
            for (int k : kernel) {
                taps *= k;
            }
            return taps;
        }

        String key() {
            return toString();
        }

        @Override
        public String toString() {
            if (kernel.length == 0) {
                return type + " [" + inChannels + ", " + rows + "]";
            }
            return type + " [" + rows + ", " + inChannels + ", " + Arrays.toString(kernel).replaceAll("[\\[\\]]", "") + "]";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SliceShape other && key().equals(other.key());
        }

        @Override
        public int hashCode() {
            return key().hashCode();
        }
    }
}
