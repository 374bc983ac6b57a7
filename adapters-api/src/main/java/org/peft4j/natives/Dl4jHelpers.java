package org.peft4j.natives;

/**
 * Turns on DL4J's oneDNN layer helpers, which DL4J 1.0.0-M2.1 ships switched off twice over.
 *
 * <p>A plain DL4J {@code ConvolutionLayer} (and {@code SubsamplingLayer}, {@code BatchNormalization},
 * {@code LocalResponseNormalization}) can hand its work to a "helper" that calls libnd4j's
 * {@code conv2d}/{@code conv2d_bp} ops, which the {@code onednn-avx2} natives run on oneDNN (about 10x faster
 * for a plain vgg-mini; the measurement and its command are in {@code docs/performance.md}). Two things keep the
 * helpers off in M2.1:
 * <ol>
 *   <li>the system property {@code org.eclipse.deeplearning4j.helpers.disable} defaults to {@code true};</li>
 *   <li>the helpers check for oneDNN by loading the class {@code org.nd4j.nativeblas.Nd4jCpu$Environment},
 *       which M2.1 moved to {@code org.nd4j.linalg.cpu.nativecpu.bindings}; the lookup fails and the helper
 *       is dropped. peft4j ships a class under the old name ({@link org.nd4j.nativeblas.Nd4jCpu}) that
 *       answers the check.</li>
 * </ol>
 * {@link #enable()} sets the property to {@code false} unless the user set it. It must run before the
 * network is built (DL4J decides per layer when the layer is created). On the generic natives the
 * helpers still run libnd4j's own convolution op, which is faster than DL4J's im2col route.
 *
 * <p>Known DL4J limitation the helpers do not fix: on the oneDNN natives, DILATED float convolutions of
 * a plain {@code Convolution1DLayer} or {@code Convolution3D} throw inside libnd4j ("could not create a
 * descriptor for a dilated convolution"). peft4j's own runtimes (adapted and frozen layers) route around
 * it; a plain network with such layers needs {@code Nd4j.getEnvironment().allowHelpers(false)} or the
 * generic natives.
 */
public final class Dl4jHelpers {

    /** DL4J's switch; {@code true} (its default) keeps the helpers off. */
    public static final String DISABLE_PROPERTY = "org.eclipse.deeplearning4j.helpers.disable";

    private Dl4jHelpers() {
    }

    /** Sets {@value #DISABLE_PROPERTY} to {@code false} unless it is set already; returns whether helpers are on. */
    public static boolean enable() {
        if (System.getProperty(DISABLE_PROPERTY) == null) {
            System.setProperty(DISABLE_PROPERTY, "false");
        }
        return enabled();
    }

    /** True when DL4J will create its layer helpers. */
    public static boolean enabled() {
        return !Boolean.parseBoolean(System.getProperty(DISABLE_PROPERTY, "true"));
    }
}
