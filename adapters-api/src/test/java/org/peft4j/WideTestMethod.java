package org.peft4j;

import java.util.List;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.peft4j.spi.AdapterConfig;
import org.peft4j.spi.AdapterGradients;
import org.peft4j.spi.AdapterParameters;
import org.peft4j.spi.BaseAdapterMethod;
import org.peft4j.spi.LayerAdapter;
import org.peft4j.spi.LayerPlan;
import org.peft4j.spi.WeightShape;

/**
 * A method for the API's own tests, named {@code wide}: one parameter {@code P [nIn, width]} per dense or 2D convolution layer that
 * leaves the weight alone ({@code ΔW = 0}). Its width is free, so a test can ask for an adapter of any size.
 */
public final class WideTestMethod extends BaseAdapterMethod<WideTestMethod.Width> {

    /** @param columns the width of {@code P} */
    public record Width(long columns) implements AdapterConfig {
    }

    public WideTestMethod() {
        super("wide", Width.class, new Width(2), List.of(DenseLayer.class, OutputLayer.class, ConvolutionLayer.class));
    }

    /** A registry with this method only. */
    static AdapterRegistry registry() {
        return AdapterRegistry.of(new WideTestMethod());
    }

    @Override
    public LayerAdapter adapter(WeightShape weight, Width config, LayerPlan plan) {
        return new LayerAdapter() {
            @Override
            public List<org.peft4j.spi.AdapterParameter> parameters() {
                return List.of(org.peft4j.spi.AdapterParameter.weight("P", weight.inputs(), config.columns()));
            }

            @Override
            public void initialise(AdapterParameters params) {
                params.get("P").assign(0);
            }

            @Override
            public INDArray weightDelta(AdapterParameters params) {
                return Nd4j.zeros(params.dataType(), weight.shape());
            }

            @Override
            public void backward(AdapterParameters params, INDArray g, INDArray biasGradient, AdapterGradients out) {
                out.set("P", Nd4j.zeros(params.dataType(), weight.inputs(), config.columns()));
            }
        };
    }
}
