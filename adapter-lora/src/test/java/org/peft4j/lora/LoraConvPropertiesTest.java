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

    /** Rank 3 where both adapted layers can use it (the 1x1 stem's update has rank at most C_in), scale 2. */
    private static LoraConfig config(int inChannels, int outChannels) {
        int rank = Math.min(3, Math.min(inChannels, outChannels));
        return LoraConfig.of(rank, 2.0 * rank);
    }

    @Override
    protected String method() {
        return LoraConvMethod.NAME;
    }

    @Override
    protected AdapterConfig config(ConvCase c) {
        return config(c.inChannels(), c.outChannels());
    }

    @Override
    protected AdapterRegistry registry() {
        return AdapterRegistry.of(new LoraConvMethod());
    }

    @Override
    protected double[][][][] branch(ConvCase c, Map<String, INDArray> params, double[][][][] x,
            ReferenceConvolution.Geometry g) {
        LoraConfig config = config(c.inChannels(), c.outChannels());
        INDArray a = params.get("A").reshape('c', config.rank(), c.inChannels(), c.kernelH(), c.kernelW());
        double[][][][] down = new double[config.rank()][c.inChannels()][c.kernelH()][c.kernelW()];
        ReferenceConvolution.forEach(down, (r, ch, i, j) -> down[r][ch][i][j] = a.getDouble(r, ch, i, j));
        double[][][][] y = ReferenceConvolution.convolve(x, down, g);
        double[][][][] up = ReferenceConvolution.pointwise(y, params.get("B").toDoubleMatrix());
        double[][][][] zero = new double[up.length][up[0].length][up[0][0].length][up[0][0][0].length];
        return ReferenceConvolution.plus(zero, up, config.scale());
    }
}
