package org.peft4j.conv3d;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link NativeConv3d} and {@link Conv3dGeometry} against DL4J's own {@code Convolution3DLayer}
 * and against plain loops, over the configurations DL4J accepts.
 */
class NativeConv3dTest {

    private static final int BATCH = 2;
    private static final int IN = 3;
    private static final int OUT = 2;

    @Provide
    Arbitrary<Conv3dCase> cases() {
        return Conv3dCase.arbitrary();
    }

    @Property(tries = 60)
    void forwardIsDl4jsConvolutionAndMatchesLoops(@ForAll("cases") Conv3dCase c) {
        Convolution3D config = c.builder().nIn(IN).nOut(OUT).activation(Activation.IDENTITY).build();
        Layer dl4j = Dl4jLayers.instantiate(config);
        INDArray x = c.random(1, c.inputShape(BATCH, IN));
        INDArray expected = dl4j.activate(x, false, Dl4jLayers.noWorkspaces());

        Conv3dGeometry geometry = Conv3dGeometry.of(config, x);
        assertThat(geometry.shape(BATCH, OUT, true)).containsExactly(c.outputShape(BATCH, OUT));
        INDArray out = Nd4j.create(DataType.DOUBLE, geometry.shape(BATCH, OUT, true));
        NativeConv3d.forward(x, dl4j.getParam("W"), dl4j.getParam("b"), geometry, out);

        assertThat(out.data().asDouble()).containsExactly(expected.dup('c').data().asDouble());
        double[][][][][] loops = Conv3dLoops.conv(Conv3dLoops.volume(x, c.ncdhw()),
                Conv3dLoops.volume(dl4j.getParam("W"), true), dl4j.getParam("b").toDoubleVector(), c.sizes());
        assertThat(out.equalsWithEps(Conv3dLoops.array(loops, c.ncdhw()), 1e-10)).as("vs loops").isTrue();
    }

    @Property(tries = 60)
    void inputGradientMatchesLoopsAndDl4jsBackprop(@ForAll("cases") Conv3dCase c) {
        checkInputGradient(c);
    }

    /** One case per route: flipped-kernel convolution, deconv3d straight, deconv3d with a crop. */
    @Example
    void everyInputGradientRouteIsExercised() {
        int[] one = {1, 1, 1};
        // stride 1, odd kernels, Same and Truncate with padding: the flipped-kernel convolution
        checkInputGradient(new Conv3dCase(true, ConvolutionMode.Same, new int[] {3, 1, 3}, one, new int[] {1, 1, 2},
                new int[3], new int[] {5, 4, 6}, 1));
        checkInputGradient(new Conv3dCase(false, ConvolutionMode.Truncate, new int[] {2, 3, 1}, one, one,
                new int[] {1, 2, 0}, new int[] {4, 3, 5}, 2));
        // stride 2 with no rows left over: deconv3d into the input directly
        checkInputGradient(new Conv3dCase(true, ConvolutionMode.Truncate, new int[] {3, 3, 3}, new int[] {2, 2, 2},
                one, new int[] {1, 1, 1}, new int[] {5, 7, 5}, 3));
        // even kernel in Same mode (asymmetric padding) and strides with rows left over: deconv3d and a crop
        checkInputGradient(new Conv3dCase(false, ConvolutionMode.Same, new int[] {2, 2, 4}, one, one, new int[3],
                new int[] {5, 4, 6}, 4));
        checkInputGradient(new Conv3dCase(true, ConvolutionMode.Truncate, new int[] {2, 3, 2}, new int[] {3, 2, 2},
                one, new int[] {1, 0, 1}, new int[] {7, 6, 6}, 5));
    }

    private static void checkInputGradient(Conv3dCase c) {
        Convolution3D config = c.builder().nIn(IN).nOut(OUT).activation(Activation.IDENTITY).build();
        Layer dl4j = Dl4jLayers.instantiate(config);
        INDArray x = c.random(1, c.inputShape(BATCH, IN));
        INDArray delta = c.random(2, c.outputShape(BATCH, OUT));
        dl4j.activate(x, true, Dl4jLayers.noWorkspaces());
        INDArray expected = dl4j.backpropGradient(delta, Dl4jLayers.noWorkspaces()).getSecond();

        Conv3dGeometry geometry = Conv3dGeometry.of(config, x);
        INDArray eps = Nd4j.create(DataType.DOUBLE, x.shape()).assign(Double.NaN);
        NativeConv3d.inputGradient(delta, dl4j.getParam("W"), geometry, eps);

        assertThat(eps.equalsWithEps(expected, 1e-10)).as("vs conv3dnew_bp").isTrue();
        double[][][][][] loops = Conv3dLoops.convInputGradient(Conv3dLoops.volume(delta, c.ncdhw()),
                Conv3dLoops.volume(dl4j.getParam("W"), true), c.sizes());
        assertThat(eps.equalsWithEps(Conv3dLoops.array(loops, c.ncdhw()), 1e-10)).as("vs loops").isTrue();
    }
}
