package org.nd4j.nativeblas;

import java.lang.reflect.Method;

/**
 * A compatibility bridge for DL4J 1.0.0-M2.1, not part of ND4J: DL4J's oneDNN layer helpers
 * ({@code BaseMKLDNNHelper.mklDnnEnabled()}) look up {@code org.nd4j.nativeblas.Nd4jCpu$Environment} and
 * call {@code getInstance().isUseMKLDNN()}, but M2.1's native bindings moved that class to
 * {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment} (whose method is now
 * {@code isUseONEDNN()}), so the lookup fails and every helper is dropped. This class answers under
 * the old name by asking the new one. See {@link org.peft4j.natives.Dl4jHelpers}.
 */
public final class Nd4jCpu {

    private Nd4jCpu() {
    }

    /** The old name of libnd4j's environment, as DL4J's helpers look it up. */
    public static final class Environment {

        private static final Environment INSTANCE = new Environment();

        private Environment() {
        }

        public static Environment getInstance() {
            return INSTANCE;
        }

        /** Whether libnd4j was built with oneDNN, as the moved class reports it; false on other backends. */
        public boolean isUseMKLDNN() {
            try {
                Class<?> moved = Class.forName("org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment");
                Object environment = moved.getMethod("getInstance").invoke(null);
                Method useOneDnn = moved.getMethod("isUseONEDNN");
                return (Boolean) useOneDnn.invoke(environment);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                return false;
            }
        }
    }
}
