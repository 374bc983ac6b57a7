package org.peft4j.clora;

import java.util.Map;
import java.util.Objects;
import org.peft4j.spi.LayerPlan;
import org.peft4j.spi.ParameterGroup;

/**
 * Where one adapted layer (one low-rank module) draws its bases from: the pool of down projections of
 * the layers with its input signature and the pool of up projections of the layers with its output
 * width. Each pool is a {@link ParameterGroup}; its owner (first member in network order) holds the
 * pool's tensor, so a layer may hold one pool, both or neither.
 *
 * @param down    the down pool (group id names the signature, e.g. {@code clora:down:conv2d[C_in=16,k=3x3]})
 * @param up      the up pool (e.g. {@code clora:up:conv2d[C_out=32]})
 * @param modules m, the number of CLoRA modules in the network; SADE is averaged over them
 */
public record CloraPlacement(ParameterGroup down, ParameterGroup up, int modules) {

    public CloraPlacement {
        Objects.requireNonNull(down, "down");
        Objects.requireNonNull(up, "up");
        if (modules < 1) {
            throw new IllegalArgumentException("CLoRA module count must be >= 1, got " + modules);
        }
    }

    /** The placement as a layer's plan: {@code D} and {@code U} shared with their pools, the module count a setting. */
    LayerPlan toPlan() {
        return new LayerPlan(Map.of(Clora.DOWN, down, Clora.UP, up), Map.of("modules", String.valueOf(modules)));
    }

    /** The placement a plan made by {@link #toPlan()} describes. */
    static CloraPlacement of(LayerPlan plan) {
        return new CloraPlacement(plan.shared().get(Clora.DOWN), plan.shared().get(Clora.UP),
                Integer.parseInt(plan.setting("modules")));
    }
}
