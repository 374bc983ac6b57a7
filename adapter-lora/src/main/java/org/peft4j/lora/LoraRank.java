package org.peft4j.lora;

import java.util.List;
import org.peft4j.spi.TargetLayer;
import org.peft4j.spi.WeightShape;

/**
 * Refuses a LoRA rank a target layer cannot use. {@code ΔW = s·A·B} has rank at most
 * {@link WeightShape#maxRank()}: {@code min(nIn, nOut)} for a dense layer, {@code min(C_out, C_in·taps)} for a
 * convolution; a larger r only adds parameters (and changes the scale {@code alpha / r}).
 */
final class LoraRank {

    private LoraRank() {
    }

    /** @throws IllegalArgumentException naming the first layer whose weight is too small for the rank */
    static void requireFits(String method, List<TargetLayer> targets, LoraConfig config) {
        for (TargetLayer target : targets) {
            WeightShape weight = WeightShape.of(target.config()).orElseThrow();
            if (config.rank() > weight.maxRank()) {
                throw new IllegalArgumentException(method + ": rank " + config.rank() + " is too large for layer '"
                        + target.name() + "' (" + target.config().getClass().getSimpleName() + ", "
                        + weight.describeWidths() + "), whose update has rank at most " + weight.maxRank()
                        + "; choose rank <= " + weight.maxRank() + " or leave the layer out of the targets");
            }
        }
    }
}
