package org.peft4j.bench.speed;

import java.util.function.Supplier;
import org.deeplearning4j.nn.api.Model;
import org.peft4j.ParameterReport;

/**
 * One method under measurement on one network.
 *
 * @param method   {@code full}, {@code head-only} or an adapter method's name
 * @param network  the network trained (and, for adapters, the unmerged model timed at inference)
 * @param merged   makes the merged, unloaded plain network from the trained one; null for the baselines
 * @param params   trainable / frozen counts at the start
 */
record Contender(String method, Model network, Supplier<Model> merged, ParameterReport params) {

    boolean adapter() {
        return merged != null;
    }
}
