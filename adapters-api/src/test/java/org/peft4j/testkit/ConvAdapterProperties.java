package org.peft4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.peft4j.AdapterRegistry;
import org.peft4j.LayerSelector;
import org.peft4j.Peft;
import org.peft4j.PeftConfig;
import org.peft4j.PeftModel;
import org.peft4j.spi.AdapterConfig;

/**
 * Property-based checks of a convolution adapter over random {@link ConvCase}s (jqwik): identity at
 * init, the forward pass against {@link ReferenceConvolution}'s plain loops (inference and training
 * mode), merge equivalence, and (on a sample of cases, up to 60 entries of each parameter array)
 * DL4J's double-precision gradient check. Extend it
 * once per method and give the branch's reference formula.
 */
public abstract class ConvAdapterProperties {

    /** The method under test. */
    protected abstract String method();

    /** The method's configuration for case {@code c} (a rank, say, must fit the case's channel counts). */
    protected abstract AdapterConfig config(ConvCase c);

    protected abstract AdapterRegistry registry();

    /**
     * The branch's contribution to the pre-activation, {@code z - (K0 ⊛ x + b0)}, by plain loops.
     *
     * @param params the adapted layer's parameters (adapter keys and the frozen ones)
     * @param x      the layer input as [n][c][h][w]
     */
    protected abstract double[][][][] branch(ConvCase c, Map<String, INDArray> params, double[][][][] x,
            ReferenceConvolution.Geometry g);

    @Provide
    Arbitrary<ConvCase> cases() {
        return ConvCases.any();
    }

    @Property(tries = 30)
    void adaptedOutputEqualsBaseOutputExactlyAtInit(@ForAll("cases") ConvCase c) {
        MultiLayerNetwork base = c.network(DataType.FLOAT);
        INDArray x = c.data(DataType.FLOAT).getFeatures();
        PeftModel<MultiLayerNetwork> model = adapt(c, base);
        assertThat(Nets.values(Nets.output(model.network(), x))).as(c.toString())
                .containsExactly(Nets.values(Nets.output(base, x)));
    }

    @Property(tries = 30)
    void forwardPassMatchesPlainLoops(@ForAll("cases") ConvCase c) {
        MultiLayerNetwork base = c.network(DataType.DOUBLE);
        PeftModel<MultiLayerNetwork> model = adapt(c, base);
        randomiseAdapters(model.network(), c.seed());
        INDArray x = Nd4j.randn(DataType.DOUBLE, c.data(DataType.DOUBLE).getFeatures().shape());
        Layer baseConv = base.getLayer("conv");
        Layer conv = model.network().getLayer("conv");
        ReferenceConvolution.Geometry g = ReferenceConvolution.geometry(c);
        double[][][][] in = ReferenceConvolution.nchw(x, c.oneD(), c.channelsLast());
        double[][][][] baseZ = ReferenceConvolution.convolve(in, ReferenceConvolution.kernel(baseConv.getParam("W"), c.oneD()), g);
        if (c.bias()) {
            baseZ = ReferenceConvolution.plusBias(baseZ, baseConv.getParam("b").dup().data().asDouble());
        }
        assertThat(ReferenceConvolution.maxRelativeError(activate(baseConv, x, false, c), ReferenceConvolution.tanh(baseZ)))
                .as("base layer vs loops, " + c).isLessThan(1e-10);
        double[][][][] expected = ReferenceConvolution.tanh(ReferenceConvolution.plus(baseZ,
                branch(c, conv.paramTable(), in, g), 1.0));
        assertThat(ReferenceConvolution.maxRelativeError(activate(conv, x, false, c), expected))
                .as("adapted layer (inference) vs loops, " + c).isLessThan(1e-10);
        assertThat(ReferenceConvolution.maxRelativeError(activate(conv, x, true, c), expected))
                .as("adapted layer (training) vs loops, " + c).isLessThan(1e-10);
    }

    @Property(tries = 30)
    void mergedAndUnloadedNetworksComputeTheAdaptedOutputs(@ForAll("cases") ConvCase c) {
        PeftModel<MultiLayerNetwork> model = adapt(c, c.network(DataType.DOUBLE));
        randomiseAdapters(model.network(), c.seed());
        INDArray x = c.data(DataType.DOUBLE).getFeatures();
        INDArray adapted = model.network().output(x);
        assertThat(Nets.maxRelativeError(Nets.output(model.mergeAndUnload(), x), adapted)).as(c.toString()).isLessThan(1e-10);
        model.mergeInPlace();
        assertThat(Nets.maxRelativeError(model.network().output(x), adapted)).as(c.toString()).isLessThan(1e-10);
    }

    @Property(tries = 6)
    void gradientCheckPassesInDoublePrecision(@ForAll("cases") ConvCase c) {
        DataType previous = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            PeftModel<MultiLayerNetwork> model = adapt(c, c.network(DataType.DOUBLE));
            randomiseAdapters(model.network(), c.seed());
            DataSet data = c.data(DataType.DOUBLE);
            boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(model.network())
                    .input(data.getFeatures()).labels(data.getLabels()).subset(true).maxPerParam(60)
                    .excludeParams(Nets.frozenParamNames(model.network())));
            assertThat(ok).as(c.toString()).isTrue();
        } finally {
            Nd4j.setDefaultDataTypes(previous, previous);
        }
    }

    private PeftModel<MultiLayerNetwork> adapt(ConvCase c, MultiLayerNetwork base) {
        return Peft.apply(base, PeftConfig.builder().method(method()).config(config(c))
                .targets(LayerSelector.names("stem", "conv")).updater(new NoOp()).build(), registry());
    }

    private static void randomiseAdapters(Model network, long seed) {
        Nd4j.getRandom().setSeed(seed);
        Nets.adapterParams(network).values().forEach(p -> p.assign(Nd4j.randn(p.dataType(), p.shape()).muli(0.5)));
    }

    private static double[][][][] activate(Layer layer, INDArray x, boolean training, ConvCase c) {
        return ReferenceConvolution.nchw(layer.activate(x, training, LayerWorkspaceMgr.noWorkspaces()), c.oneD(),
                c.channelsLast());
    }
}
