package org.peft4j.natives;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Chooses ND4J's native binaries before ND4J loads, and says afterwards which ones run.
 *
 * <p>ND4J's CPU backend ({@code nd4j-native}) ships several builds of libnd4j for x86-64 Linux: the
 * generic one (classifier {@code linux-x86_64}), {@code linux-x86_64-avx2}, and
 * {@code linux-x86_64-onednn-avx2}, which runs convolutions, pooling and batch normalisation on
 * Intel's oneDNN. Left alone, JavaCPP loads the first build whose jar is on the class path in the order
 * of ND4J's list (the oneDNN builds first), whatever the CPU; the system property
 * {@code org.bytedeco.javacpp.platform.extension} names the one to load ({@code -onednn-avx2}, {@code -avx2},
 * or empty for the generic build). peft4j's hot paths are libnd4j convolutions, which oneDNN makes 3-20x
 * faster; {@link #select()} picks that build when the machine can run it and the generic one otherwise.
 *
 * <p>The choice, in order:
 * <ol>
 *   <li>{@code org.bytedeco.javacpp.platform.extension} (or {@code javacpp.platform.extension}) already set by
 *       the user: that build;</li>
 *   <li>the system property {@code peft4j.natives} or the environment variable {@code PEFT4J_NATIVES}:
 *       {@code generic}, {@code avx2}, {@code onednn-avx2} or {@code auto} (the default);</li>
 *   <li>{@code auto}: {@code onednn-avx2} on x86-64 Linux when {@code /proc/cpuinfo} lists AVX2 and the
 *       build's jar is on the class path, else the generic build.</li>
 * </ol>
 * Library code never calls this: the backend belongs to the application, which calls {@link #select()}
 * first thing in {@code main} (peft4j's command line and test suites do).
 *
 * <p>{@link #select()} also turns DL4J's own oneDNN layer helpers on ({@link Dl4jHelpers}): DL4J
 * 1.0.0-M2.1 ships them switched off, so without this a plain {@code ConvolutionLayer} ignores oneDNN.
 */
public final class Natives {

    /** The property that names the build to load, read by JavaCPP's loader: empty, -avx2 or -onednn-avx2. */
    public static final String EXTENSION_PROPERTY = "org.bytedeco.javacpp.platform.extension";
    /** The same setting under the name JavaCPP's build uses, accepted from users too. */
    public static final String SHORT_EXTENSION_PROPERTY = "javacpp.platform.extension";
    /** peft4j's own setting: generic, avx2, onednn-avx2 or auto. */
    public static final String CHOICE_PROPERTY = "peft4j.natives";
    private static final String CHOICE_ENV = "PEFT4J_NATIVES";
    private static final String ONEDNN_LIBRARY =
            "org/nd4j/linalg/cpu/nativecpu/bindings/linux-x86_64-onednn-avx2/libnd4jcpu.so";
    private static final String AVX2_LIBRARY = "org/nd4j/linalg/cpu/nativecpu/bindings/linux-x86_64-avx2/libnd4jcpu.so";

    private static Selection selection;

    private Natives() {
    }

    /**
     * What {@link #select()} decided.
     *
     * @param build  the build asked for: {@code generic}, {@code avx2} or {@code onednn-avx2}
     * @param reason why, in words
     */
    public record Selection(String build, String reason) {
    }

    /**
     * Picks the native build (see the class comment) and enables DL4J's oneDNN helpers. Call before
     * anything touches ND4J; later calls return the first decision.
     *
     * @throws IllegalArgumentException when {@code peft4j.natives} names no known build
     */
    public static synchronized Selection select() {
        if (selection == null) {
            String extension = System.getProperty(EXTENSION_PROPERTY, System.getProperty(SHORT_EXTENSION_PROPERTY));
            selection = decide(extension, choice(), cpuFlags(), System.getProperty("os.name"),
                    System.getProperty("os.arch"), Natives::onClassPath);
            System.setProperty(EXTENSION_PROPERTY, selection.build().equals("generic") ? "" : "-" + selection.build());
            Dl4jHelpers.enable();
        }
        return selection;
    }

    /** The decision for the given machine facts (pure, for tests). */
    static Selection decide(String extension, String choice, String cpuFlags, String os, String arch,
            java.util.function.Predicate<String> onClassPath) {
        if (extension != null) {
            String build = extension.isBlank() ? "generic" : extension.startsWith("-") ? extension.substring(1) : extension;
            return new Selection(build, "platform extension '" + extension + "' was set by the user");
        }
        String wanted = choice == null || choice.isBlank() ? "auto" : choice.trim().toLowerCase(Locale.ROOT);
        Map<String, String> libraries = Map.of("onednn-avx2", ONEDNN_LIBRARY, "avx2", AVX2_LIBRARY);
        switch (wanted) {
            case "generic":
                return new Selection("generic", CHOICE_PROPERTY + "=generic");
            case "avx2", "onednn-avx2": {
                if (!onClassPath.test(libraries.get(wanted))) {
                    throw new IllegalArgumentException(CHOICE_PROPERTY + "=" + wanted + " but the jar nd4j-native-*-linux-x86_64-"
                            + wanted + ".jar is not on the class path");
                }
                return new Selection(wanted, CHOICE_PROPERTY + "=" + wanted);
            }
            case "auto":
                break;
            default:
                throw new IllegalArgumentException(CHOICE_PROPERTY + " (or " + CHOICE_ENV + ") must be auto, generic, avx2 or "
                        + "onednn-avx2, got '" + choice + "'");
        }
        boolean linuxX86 = os != null && os.toLowerCase(Locale.ROOT).startsWith("linux")
                && ("amd64".equals(arch) || "x86_64".equals(arch));
        if (!linuxX86) {
            return new Selection("generic", "oneDNN builds exist for x86-64 Linux only (this is " + os + " " + arch + ")");
        }
        if (cpuFlags == null || !(" " + cpuFlags + " ").contains(" avx2 ")) {
            return new Selection("generic", "the CPU does not report AVX2");
        }
        if (!onClassPath.test(ONEDNN_LIBRARY)) {
            return new Selection("generic", "the onednn-avx2 build is not on the class path");
        }
        return new Selection("onednn-avx2", "x86-64 Linux with AVX2 and the onednn-avx2 build on the class path");
    }

    /**
     * The build that ND4J actually loaded, read from JavaCPP's list of loaded libraries: {@code onednn-avx2},
     * {@code avx2}, {@code generic}, or {@code unknown} (another backend, or ND4J not loaded yet).
     */
    public static String loaded() {
        try {
            Class<?> loader = Class.forName("org.bytedeco.javacpp.Loader");
            Object libraries = loader.getMethod("getLoadedLibraries").invoke(null);
            Object path = ((Map<?, ?>) libraries).get("nd4jcpu");
            if (path == null) {
                return "unknown";
            }
            String text = path.toString();
            if (text.contains("linux-x86_64-onednn-avx2")) {
                return "onednn-avx2";
            }
            if (text.contains("-avx2/") || text.contains("-avx512/")) {
                return text.contains("-avx512/") ? "avx512" : "avx2";
            }
            return "generic";
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return "unknown";
        }
    }

    /** The CPU's model name from {@code /proc/cpuinfo}, or {@code os.arch} where there is none. */
    public static String cpuModel() {
        String value = cpuInfo("model name");
        return value == null ? System.getProperty("os.arch") : value;
    }

    private static String choice() {
        String property = System.getProperty(CHOICE_PROPERTY);
        return property != null ? property : System.getenv(CHOICE_ENV);
    }

    private static String cpuFlags() {
        return cpuInfo("flags");
    }

    private static String cpuInfo(String key) {
        Path file = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(file)) {
            return null;
        }
        try {
            for (String line : Files.readAllLines(file)) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
                    return line.substring(colon + 1).trim();
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    private static boolean onClassPath(String resource) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = Natives.class.getClassLoader();
        }
        return loader.getResource(resource) != null;
    }
}
