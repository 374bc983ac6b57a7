package org.peft4j.ops;

import java.util.function.Supplier;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.factory.Environment;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Runs libnd4j convolutions that the oneDNN natives of ND4J 1.0.0-M2.1 cannot run.
 *
 * <p>On the {@code onednn-avx2} build, every DILATED convolution in float (forward or backward, 1D, 2D
 * and 3D) throws "could not create a descriptor for a dilated convolution forward propagation
 * primitive"; double precision, dilation 1 and the generic natives work. libnd4j falls back to its own
 * implementation when its platform helpers are disallowed, so a dilated float convolution runs with
 * {@code allowHelpers(false)} for the duration of the op. The switch is process-wide: ops are serialised
 * on one lock while it is off, and an op of another thread that runs meanwhile merely runs without
 * oneDNN (slower, still right).
 */
public final class DilatedConvolutions {

    private static final Object LOCK = new Object();

    private DilatedConvolutions() {
    }

    /** True when a convolution with these dilations in {@code type} needs {@link #run}'s workaround. */
    public static boolean affected(DataType type, int... dilations) {
        if (type == DataType.DOUBLE) {
            return false;
        }
        for (int d : dilations) {
            if (d != 1) {
                return true;
            }
        }
        return false;
    }

    /** Executes {@code op}, without platform helpers when {@link #affected}; returns its outputs. */
    public static INDArray[] exec(CustomOp op, DataType type, int... dilations) {
        return run(affected(type, dilations), () -> Nd4j.exec(op));
    }

    /** Runs {@code action}, with libnd4j's platform helpers off while it runs when {@code withoutHelpers}. */
    public static <T> T run(boolean withoutHelpers, Supplier<T> action) {
        if (!withoutHelpers) {
            return action.get();
        }
        synchronized (LOCK) {
            Environment environment = Nd4j.getEnvironment();
            boolean allowed = environment.helpersAllowed();
            environment.allowHelpers(false);
            try {
                return action.get();
            } finally {
                environment.allowHelpers(allowed);
            }
        }
    }
}
