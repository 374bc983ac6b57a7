package org.peft4j.clora;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.peft4j.spi.AdaptedLayer;
import org.peft4j.spi.AdapterConfig;

/**
 * What every CLoRA layer configuration offers ({@link CloraDenseLayer} and the convolutions, {@link CloraConvLayer}).
 * Parameters, in this order in the layer's flat view:
 * <ul>
 *   <li>the wrapped layer's own {@code W} and {@code b} (frozen), exactly as DL4J keeps them;</li>
 *   <li>{@code Q} [p, r, r] trainable, c order: the module's mixing matrices {@code Q_h = Q[h]}, identity at start;</li>
 *   <li>{@code D} trainable, only in the owner of the layer's down pool: dense {@code [nIn, p·r]} (basis
 *       {@code D_h} = columns {@code h·r .. h·r+r-1}), convolution {@code [p·r, C_in, k...]} (a down
 *       convolution with p·r output channels, basis h = channels {@code h·r ..}); Kaiming-uniform at start;</li>
 *   <li>{@code U} trainable, only in the owner of the layer's up pool: dense {@code [p·r, nOut]} (basis
 *       {@code U_h} = rows {@code h·r ..}), convolution {@code [C_out, p·r]} (a 1x1 convolution, basis h =
 *       input channels {@code h·r ..}); zero at start.</li>
 * </ul>
 * The maths uses the row-vector convention of the paper, {@code y = x·W} with {@code W [d_in, d_out]}:
 * {@link #downMatrix} gives the pool as {@code [d_in, p·r]} and {@link #upMatrix} as {@code [p·r, d_out]},
 * where a convolution's {@code d_in = C_in·taps} (taps: the product of the kernel sizes {@code k...}) and
 * {@code d_out = C_out}.
 */
public interface CloraLayer extends AdaptedLayer {

    String WEIGHT = "W";
    String BIAS = "b";
    String DOWN = "D";
    String UP = "U";
    String MIX = "Q";

    CloraConfig getClora();

    CloraPlacement getPlacement();

    String getLayerName();

    boolean hasBias();

    /** {@code d_in}: nIn, or {@code C_in·taps} (the fan-in of a down basis). */
    long inDim();

    /** {@code d_out}: nOut or {@code C_out}. */
    long outDim();

    /** Shape of {@code D} in this layer's layout. */
    long[] downShape();

    /** Shape of {@code U} in this layer's layout. */
    long[] upShape();

    /** {@code D} as {@code [d_in, p·r]} (a view). */
    INDArray downMatrix(INDArray down);

    /** The inverse of {@link #downMatrix}: {@code [d_in, p·r]} in the layout of {@code D}. */
    INDArray downParam(INDArray matrix);

    /** {@code U} as {@code [p·r, d_out]} (a view). */
    INDArray upMatrix(INDArray up);

    /** The inverse of {@link #upMatrix}: {@code [p·r, d_out]} in the layout of {@code U}. */
    INDArray upParam(INDArray matrix);

    /** Shape of {@code Q}, {@code [p, r, r]}. */
    default long[] mixShape() {
        return new long[] {getClora().pool(), getClora().rank(), getClora().rank()};
    }

    /** True when this layer holds its down pool {@code D}. */
    default boolean ownsDown() {
        return getPlacement().down().isOwner(getLayerName());
    }

    /** True when this layer holds its up pool {@code U}. */
    default boolean ownsUp() {
        return getPlacement().up().isOwner(getLayerName());
    }

    @Override
    default String methodName() {
        return CloraMethod.NAME;
    }

    @Override
    default AdapterConfig adapterConfig() {
        return getClora();
    }

    @Override
    default List<String> frozenKeys() {
        return hasBias() ? List.of(WEIGHT, BIAS) : List.of(WEIGHT);
    }

    @Override
    default List<String> adapterKeys() {
        List<String> keys = new ArrayList<>(List.of(MIX));
        if (ownsDown()) {
            keys.add(DOWN);
        }
        if (ownsUp()) {
            keys.add(UP);
        }
        return keys;
    }
}
