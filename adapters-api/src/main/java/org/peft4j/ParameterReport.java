package org.peft4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.peft4j.network.LayerSlot;
import org.peft4j.network.NetworkKind;
import org.peft4j.spi.AdaptedLayer;

/**
 * Trainable, frozen and total parameter counts per layer and overall (like Hugging Face PEFT's
 * {@code print_trainable_parameters}). A parameter is frozen when it is a frozen key of an
 * adapted layer or belongs to a frozen layer; adapter parameters disappear on merge, so
 * {@link #totalAfterMerge()} counts all but them.
 *
 * @param rows one row per layer with parameters, in network order
 */
public record ParameterReport(List<Row> rows) {

    /**
     * One layer's counts.
     *
     * @param layer     the layer name
     * @param type      the layer's type: e.g. {@code lora(DenseLayer)} for an adapted layer, {@code Frozen(ConvolutionLayer)}
     * @param method    the adapter method, or empty
     * @param trainable parameters updated by training
     * @param frozen    parameters held fixed
     * @param adapter   trainable parameters that merging removes
     */
    public record Row(String layer, String type, String method, long trainable, long frozen, long adapter) {
        public long total() {
            return trainable + frozen;
        }
    }

    public ParameterReport {
        rows = List.copyOf(rows);
    }

    /** The report of any DL4J network, adapted or not. */
    public static ParameterReport of(Model network) {
        List<Row> rows = new ArrayList<>();
        for (LayerSlot slot : NetworkKind.of(network).layers(network)) {
            if (slot.numParams() > 0) {
                rows.add(row(slot));
            }
        }
        return new ParameterReport(rows);
    }

    private static Row row(LayerSlot slot) {
        Layer config = slot.config();
        long trainable = 0;
        long frozen = 0;
        long adapter = 0;
        boolean frozenLayer = config instanceof FrozenLayerWithBackprop || config instanceof FrozenLayer;
        for (Map.Entry<String, INDArray> param : slot.runtime().paramTable().entrySet()) {
            long n = param.getValue().length();
            if (frozenLayer || (config instanceof AdaptedLayer a && a.frozenKeys().contains(param.getKey()))) {
                frozen += n;
            } else {
                trainable += n;
                if (config instanceof AdaptedLayer a && a.adapterKeys().contains(param.getKey())) {
                    adapter += n;
                }
            }
        }
        String method = config instanceof AdaptedLayer a ? a.methodName() : "";
        return new Row(slot.name(), typeName(config), method, trainable, frozen, adapter);
    }

    private static String typeName(Layer config) {
        if (config instanceof AdaptedLayer a) {
            return a.methodName() + "(" + a.baseLayer().getClass().getSimpleName() + ")";
        }
        if (config instanceof FrozenLayerWithBackprop f) {
            return "Frozen(" + f.getUnderlying().getClass().getSimpleName() + ")";
        }
        return config.getClass().getSimpleName();
    }

    public long trainable() {
        return rows.stream().mapToLong(Row::trainable).sum();
    }

    public long frozen() {
        return rows.stream().mapToLong(Row::frozen).sum();
    }

    public long total() {
        return trainable() + frozen();
    }

    /** Parameters of the merged, unloaded network: all but the adapter parameters. */
    public long totalAfterMerge() {
        return total() - rows.stream().mapToLong(Row::adapter).sum();
    }

    /** Trainable share of all parameters, in percent. */
    public double trainablePercent() {
        return total() == 0 ? 0 : 100.0 * trainable() / total();
    }

    /** One line, e.g. {@code trainable params: 2,540,292 || all params: 17,6.. || trainable%: 14.43}. */
    public String summary() {
        return String.format("trainable params: %,d || all params: %,d || trainable%%: %.4f || after merge: %,d",
                trainable(), total(), trainablePercent(), totalAfterMerge());
    }

    /** A fixed-width table, one line per layer, then the summary line. */
    public String table() {
        int nameWidth = Math.max(5, rows.stream().mapToInt(r -> r.layer().length()).max().orElse(5));
        int typeWidth = Math.max(4, rows.stream().mapToInt(r -> r.type().length()).max().orElse(4));
        String format = "%-" + nameWidth + "s  %-" + typeWidth + "s  %14s  %14s  %14s%n";
        StringBuilder out = new StringBuilder(String.format(format, "layer", "type", "trainable", "frozen", "total"));
        for (Row r : rows) {
            out.append(String.format(format, r.layer(), r.type(), String.format("%,d", r.trainable()),
                    String.format("%,d", r.frozen()), String.format("%,d", r.total())));
        }
        return out.append(summary()).append(System.lineSeparator()).toString();
    }

    @Override
    public String toString() {
        return table();
    }
}
