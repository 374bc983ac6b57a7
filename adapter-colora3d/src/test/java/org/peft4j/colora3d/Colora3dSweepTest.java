package org.peft4j.colora3d;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Cnn3DLossLayer;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.peft4j.LayerSelector;
import org.peft4j.Peft;
import org.peft4j.PeftConfig;
import org.peft4j.PeftModel;
import org.peft4j.conv3d.Conv3dCase;
import org.peft4j.conv3d.Conv3dLoops;
import org.peft4j.conv3d.Dl4jLayers;
import org.peft4j.layers.AdapterLayer;
import org.peft4j.spi.LayerPlan;
import org.peft4j.spi.MergeableLayer;
import org.peft4j.testkit.Nets;

/**
 * {@code colora3d} over the configurations DL4J accepts for a {@link Convolution3D} (data format,
 * convolution mode, kernel, stride, dilation, padding per axis, with and without bias): init
 * identity, the paper's two-step definition computed by plain loops, merge equivalence, and a
 * sampled double-precision gradient check through a network.
 */
class Colora3dSweepTest {

    private static final int OUT = 3;
    private static final int BATCH = 2;

    private DataType previous;

    @BeforeProperty
    void doublePrecision() {
        previous = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterProperty
    void restore() {
        Nd4j.setDefaultDataTypes(previous, previous);
    }

    @Provide
    Arbitrary<Conv3dCase> cases() {
        return Conv3dCase.arbitrary();
    }

    /** Few and several input channels. */
    @Provide
    Arbitrary<Integer> inputChannels() {
        return Arbitraries.of(2, 8);
    }

    @Property(tries = 40)
    void adaptedLayerIsTheBaseAtInitTheTwoStepDefinitionAfterAndMergesExactly(@ForAll("cases") Conv3dCase c,
            @ForAll("inputChannels") int in, @ForAll boolean bias) {
        Convolution3D base = c.builder().nIn(in).nOut(OUT).hasBias(bias).activation(Activation.IDENTITY).build();
        Layer plain = Dl4jLayers.instantiate(base);
        Layer adapted = Dl4jLayers.instantiate(AdapterLayer.of(base, new Colora3dMethod(), Colora3dConfig.DEFAULT,
                LayerPlan.ALONE));
        copyBase(plain, adapted);
        INDArray x = c.random(1, c.inputShape(BATCH, in));

        INDArray basic = plain.activate(x, false, Dl4jLayers.noWorkspaces()).dup();
        assertThat(adapted.activate(x, false, Dl4jLayers.noWorkspaces()).data().asDouble())
                .as("identity at init").containsExactly(basic.data().asDouble());

        adapted.getParam("Kp").assign(c.random(2, OUT, in));
        adapted.getParam("Kd").assign(c.random(3, adapted.getParam("Kd").shape()));
        if (bias) {
            adapted.getParam("db").assign(c.random(4, OUT));
        }
        INDArray out = adapted.activate(x, false, Dl4jLayers.noWorkspaces()).dup();
        assertThat(out.equalsWithEps(twoStep(c, x, plain, adapted, in, bias), 1e-10)).as("O = K0*I + b0 + Kd*(Kp*I) + db")
                .isTrue();

        Map<String, INDArray> delta = ((MergeableLayer) adapted).baseDelta();
        plain.getParam("W").addi(delta.get("W"));
        if (bias) {
            plain.getParam("b").addi(delta.get("b"));
        }
        assertThat(plain.activate(x, false, Dl4jLayers.noWorkspaces()).equalsWithEps(out, 1e-10)).as("merged").isTrue();
    }

    @Property(tries = 12)
    void gradientCheckPassesOnSampledParameters(@ForAll("cases") Conv3dCase c, @ForAll("inputChannels") int in,
            @ForAll boolean bias) {
        MultiLayerNetwork base = network(c, in, bias);
        PeftModel<MultiLayerNetwork> model = Peft.apply(base, PeftConfig.builder().method("colora3d")
                .targets(LayerSelector.names("adapted")).trainable(LayerSelector.names("before"))
                .updater(new NoOp()).build(), Colora3dFixtures.registry());
        MultiLayerNetwork net = model.network();
        net.getLayer(1).getParam("Kp").assign(c.random(2, OUT, in));
        net.getLayer(1).getParam("Kd").assign(c.random(3, net.getLayer(1).getParam("Kd").shape()).muli(0.5));
        INDArray x = c.random(1, c.inputShape(BATCH, in));
        INDArray labels = c.random(5, c.outputShape(BATCH, OUT));
        // "before"'s gradient flows through colora3d's input gradient; the adapter keys are sampled
        assertThat(GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(labels)
                .subset(true).maxPerParam(12).excludeParams(Nets.frozenParamNames(net)))).as(c.toString()).isTrue();
    }

    /** {@code before} (1x1x1 conv, tanh) -> {@code adapted} (the case's conv, tanh) -> per-voxel MSE. */
    private static MultiLayerNetwork network(Conv3dCase c, int in, boolean bias) {
        Convolution3D.DataFormat format = c.ncdhw() ? Convolution3D.DataFormat.NCDHW : Convolution3D.DataFormat.NDHWC;
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.DOUBLE)
                .updater(new NoOp()).weightInit(WeightInit.XAVIER)
                .list()
                .layer(new Convolution3D.Builder().name("before").kernelSize(1, 1, 1).convolutionMode(ConvolutionMode.Same)
                        .dataFormat(format).nIn(in).nOut(in).activation(Activation.TANH).build())
                .layer(c.builder().name("adapted").nIn(in).nOut(OUT).hasBias(bias).activation(Activation.TANH).build())
                .layer(new Cnn3DLossLayer.Builder(format).lossFunction(LossFunctions.LossFunction.MSE)
                        .activation(Activation.IDENTITY).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    /** Base convolution, pointwise then depthwise branch, bias delta: each from plain loops. */
    private static INDArray twoStep(Conv3dCase c, INDArray x, Layer plain, Layer adapted, int in, boolean bias) {
        double[][][][][] input = Conv3dLoops.volume(x, c.ncdhw());
        double[][][][][] base = Conv3dLoops.conv(input, Conv3dLoops.volume(plain.getParam("W"), true),
                bias ? plain.getParam("b").toDoubleVector() : null, c.sizes());
        INDArray kp = adapted.getParam("Kp").reshape(OUT, in, 1, 1, 1);
        Conv3dLoops.Sizes pointwise = Conv3dLoops.Sizes.of(new int[] {1, 1, 1}, new int[] {1, 1, 1},
                new int[] {1, 1, 1}, new int[3], false, c.in());
        double[][][][][] z1 = Conv3dLoops.conv(input, Conv3dLoops.volume(kp, true), null, pointwise);
        INDArray kd = adapted.getParam("Kd");
        double[][][][][] branch = Conv3dLoops.depthwise(z1,
                Conv3dLoops.volume(kd.reshape(OUT, 1, kd.size(1), kd.size(2), kd.size(3)), true),
                bias ? adapted.getParam("db").toDoubleVector() : null, c.sizes());
        INDArray sum = Conv3dLoops.array(base, true).addi(Conv3dLoops.array(branch, true));
        return c.ncdhw() ? sum : sum.permute(0, 2, 3, 4, 1).dup('c');
    }

    private static void copyBase(Layer plain, Layer adapted) {
        adapted.getParam("W").assign(plain.getParam("W"));
        if (plain.paramTable().containsKey("b")) {
            plain.getParam("b").assign(Nd4j.linspace(DataType.DOUBLE, -0.5, 0.5, OUT));
            adapted.getParam("b").assign(plain.getParam("b"));
        }
    }
}
