package org.peft4j.tcurlora;

import java.util.Map;
import java.util.Objects;
import org.peft4j.spi.LayerPlan;
import org.peft4j.spi.ParameterGroup;

/**
 * Where an adapted layer's weight sits in its tensor {@code W [n1, n2, n3]} (frontal slices
 * {@code W_l [n1, n2]}, mode 3 the stacking axis).
 *
 * @param group  the layers sharing the core {@code dU [n3, r, r]} (its owner holds it)
 * @param taps   true when this layer holds all n3 slices, one per kernel tap (taps mode); false when it is
 *               slice {@code slice} (group mode; n3 = 1 is matrix CUR)
 * @param slice  the layer's slice index l in group mode, 0 in taps mode
 * @param n3     number of slices
 * @param rows   n1 of every slice
 * @param cols   n2 of every slice
 */
public record TcurPlacement(ParameterGroup group, boolean taps, int slice, int n3, long rows, long cols) {

    public TcurPlacement {
        Objects.requireNonNull(group, "group");
        if (n3 < 1 || slice < 0 || slice >= n3 || rows < 1 || cols < 1) {
            throw new IllegalArgumentException("bad tCURLoRA placement: slice " + slice + " of " + n3 + ", slices ["
                    + rows + ", " + cols + "]");
        }
        if (taps && (slice != 0 || group.members().size() != 1)) {
            throw new IllegalArgumentException("a taps-mode tensor belongs to one layer, got " + group.members());
        }
        if (!taps && group.members().size() != n3) {
            throw new IllegalArgumentException("a group-mode tensor has one slice per member: " + n3 + " slices, "
                    + group.members().size() + " members");
        }
    }

    /** The placement as a layer's plan: the core {@code dU} shared with the group, the rest as settings. */
    LayerPlan toPlan() {
        return new LayerPlan(Map.of(Tcurlora.CORE, group), Map.of("taps", String.valueOf(taps), "slice",
                String.valueOf(slice), "n3", String.valueOf(n3), "rows", String.valueOf(rows), "cols", String.valueOf(cols)));
    }

    /** The placement a plan made by {@link #toPlan()} describes. */
    static TcurPlacement of(LayerPlan plan) {
        ParameterGroup group = plan.shared().get(Tcurlora.CORE);
        if (group == null) {
            throw new IllegalArgumentException("a tCURLoRA layer plan shares the core '" + Tcurlora.CORE + "', got " + plan);
        }
        return new TcurPlacement(group, Boolean.parseBoolean(plan.setting("taps")), Integer.parseInt(plan.setting("slice")),
                Integer.parseInt(plan.setting("n3")), Long.parseLong(plan.setting("rows")),
                Long.parseLong(plan.setting("cols")));
    }
}
