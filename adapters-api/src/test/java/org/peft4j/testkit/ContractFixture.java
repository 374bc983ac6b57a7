package org.peft4j.testkit;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.peft4j.AdapterRegistry;
import org.peft4j.LayerSelector;
import org.peft4j.spi.AdapterConfig;

/**
 * What a method's tests give the {@link AdapterContract} kit.
 *
 * @param method         the method name in the registry
 * @param config         hyper-parameters for the adapted layers (dropout 0, so the gradient check is exact)
 * @param registry       where the method is found
 * @param baseNetwork    builds a fresh "pretrained" network (MultiLayerNetwork or ComputationGraph) in the
 *                       given data type; same seed every call. Use smooth activations (tanh, sigmoid,
 *                       softmax) and configure L2 and weight decay, so the frozen-key checks mean something.
 * @param targets        the layers to adapt
 * @param data           a small batch of features and one-hot labels for the base network, in the data type
 * @param invalidConfigs each must throw {@link IllegalArgumentException} when called
 */
public record ContractFixture(String method, AdapterConfig config, AdapterRegistry registry,
        Function<DataType, Model> baseNetwork, LayerSelector targets, Function<DataType, DataSet> data,
        List<Supplier<AdapterConfig>> invalidConfigs) {

    public ContractFixture {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(baseNetwork, "baseNetwork");
        Objects.requireNonNull(targets, "targets");
        Objects.requireNonNull(data, "data");
        invalidConfigs = List.copyOf(invalidConfigs);
    }
}
