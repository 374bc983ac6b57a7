package org.peft4j.lora;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.peft4j.AdapterRegistry;
import org.peft4j.spi.AdapterConfig;
import org.peft4j.testkit.ConvAdapterProperties;
import org.peft4j.testkit.ConvCase;
import org.peft4j.testkit.ReferenceConvolution;

/**
 * LoRA-conv over random convolution configurations: the branch {@code s·B ⊛ (A ⊛ x)} by plain loops
 * (a full convolution C_in -> r with the layer's geometry, then a pointwise one r -> C_out).
 */
class LoraConvPropertiesTest extends ConvAdapterProperties {

    private static final LoraConfig CONFIG = LoraConfig.of(3, 6);

    @Override
    protected String method() {
        return LoraConvMethod.NAME;
    }

    @Override
    protected AdapterConfig config() {
        return CONFIG;
    }

    @Override
    protected AdapterRegistry registry() {
        return AdapterRegistry.of(new LoraConvMethod());
    }

    @Override
    protected double[][][][] branch(ConvCase c, Map<String, INDArray> params, double[][][][] x,
            ReferenceConvolution.Geometry g) {
        INDArray a = params.get("A").reshape('c', CONFIG.rank(), c.inChannels(), c.kernelH(), c.kernelW());
        double[][][][] down = new double[CONFIG.rank()][c.inChannels()][c.kernelH()][c.kernelW()];
        ReferenceConvolution.forEach(down, (r, ch, i, j) -> down[r][ch][i][j] = a.getDouble(r, ch, i, j));
        double[][][][] y = ReferenceConvolution.convolve(x, down, g);
        double[][][][] up = ReferenceConvolution.pointwise(y, params.get("B").toDoubleMatrix());
        double[][][][] zero = new double[up.length][up[0].length][up[0][0].length][up[0][0][0].length];
        return ReferenceConvolution.plus(zero, up, CONFIG.scale());
    }
}
