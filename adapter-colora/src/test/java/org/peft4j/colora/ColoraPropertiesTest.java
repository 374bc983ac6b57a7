package org.peft4j.colora;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.peft4j.AdapterRegistry;
import org.peft4j.spi.AdapterConfig;
import org.peft4j.testkit.ConvAdapterProperties;
import org.peft4j.testkit.ConvCase;
import org.peft4j.testkit.ReferenceConvolution;

/**
 * CoLoRA over random convolution configurations: the branch {@code Kd ⊛ (Kp ⊛ x) + db} by plain
 * loops (pointwise, then depthwise with the layer's geometry).
 */
class ColoraPropertiesTest extends ConvAdapterProperties {

    @Override
    protected String method() {
        return ColoraMethod.NAME;
    }

    @Override
    protected AdapterConfig config(ConvCase c) {
        return ColoraConfig.DEFAULT;
    }

    @Override
    protected AdapterRegistry registry() {
        return ColoraFixtures.registry();
    }

    @Override
    protected double[][][][] branch(ConvCase c, Map<String, INDArray> params, double[][][][] x,
            ReferenceConvolution.Geometry g) {
        INDArray kp = params.get("Kp");
        double[][] pointwise = kp.toDoubleMatrix();
        INDArray kd = params.get("Kd").reshape('c', c.outChannels(), c.kernelH(), c.kernelW());
        double[][][] depthwise = new double[c.outChannels()][c.kernelH()][c.kernelW()];
        for (int o = 0; o < c.outChannels(); o++) {
            for (int i = 0; i < c.kernelH(); i++) {
                for (int j = 0; j < c.kernelW(); j++) {
                    depthwise[o][i][j] = kd.getDouble(o, i, j);
                }
            }
        }
        double[][][][] z = ReferenceConvolution.depthwise(ReferenceConvolution.pointwise(x, pointwise), depthwise, g);
        return c.bias() ? ReferenceConvolution.plusBias(z, params.get("db").dup().data().asDouble()) : z;
    }
}
