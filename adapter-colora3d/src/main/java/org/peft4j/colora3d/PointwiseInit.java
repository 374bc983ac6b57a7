package org.peft4j.colora3d;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * How CoLoRA's pointwise kernel {@code Kp [C_out, C_in]} is drawn, at initialisation and after
 * every merge. The fans are those of a 1x1x1 convolution: {@code fanIn = C_in}, {@code fanOut = C_out}.
 */
public enum PointwiseInit {

    /** Glorot (Xavier) uniform, {@code U(−a, a)} with {@code a = sqrt(6 / (fanIn + fanOut))}: Keras' default, the paper's code. */
    GLOROT_UNIFORM {
        @Override
        void draw(INDArray kp, double gain) {
            double bound = gain * Math.sqrt(6.0 / (kp.size(0) + kp.size(1)));
            kp.assign(Nd4j.rand(kp.dataType(), kp.shape()).muli(2 * bound).subi(bound));
        }
    },

    /** Glorot (Xavier) normal, {@code N(0, 2 / (fanIn + fanOut))}. */
    GLOROT_NORMAL {
        @Override
        void draw(INDArray kp, double gain) {
            double std = gain * Math.sqrt(2.0 / (kp.size(0) + kp.size(1)));
            kp.assign(Nd4j.randn(kp.dataType(), kp.shape()).muli(std));
        }
    };

    /**
     * Draws {@code kp} [C_out, C_in] in place from ND4J's global random generator (seeded by the
     * network's seed at {@code init()}), scaled by {@code gain}.
     */
    abstract void draw(INDArray kp, double gain);
}
