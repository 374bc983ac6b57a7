package org.peft4j.bench.run;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.nd4j.linalg.factory.Nd4j;
import org.peft4j.natives.NativeMemory;
import org.peft4j.natives.Natives;
import org.peft4j.natives.ThreadWaiting;

/**
 * Where and how a result was made (Tribuo-style provenance: a result without it is a rumour).
 *
 * @param protocol    the protocol name
 * @param settings    every setting of the experiment, as text
 * @param gitCommit   {@code git rev-parse HEAD} of the working folder (+ {@code -dirty}), or {@code unknown}
 * @param peft4j      peft4j version
 * @param dl4j        Deeplearning4j version
 * @param backend     ND4J backend, the natives that loaded, its BLAS and threads, and the process settings that
 *                    change its speed (OpenMP wait policy, OpenBLAS thread timeout, native memory, JavaCPP's resident-size check)
 * @param cpu         CPU model and the cores Java sees
 * @param java        Java vendor and version
 * @param os          operating system and architecture
 * @param time        when the record was made (ISO-8601)
 * @param placement   where the run trained: locally, or on which Spark master and executor (null in run files
 *                    written before it was recorded)
 */
public record Provenance(String protocol, Map<String, String> settings, String gitCommit, String peft4j, String dl4j,
        String backend, String cpu, String java, String os, String time, Placement placement) {

    public Provenance {
        settings = Map.copyOf(settings);
    }

    /** The provenance of a run of {@code protocol} with {@code settings} in this process, now. */
    public static Provenance collect(String protocol, Map<String, String> settings) {
        return collect(protocol, settings, Placement.local());
    }

    /** The provenance of a run of {@code protocol} with {@code settings} trained at {@code placement}, now. */
    public static Provenance collect(String protocol, Map<String, String> settings, Placement placement) {
        return new Provenance(protocol, settings, readGitCommit(), version("org.peft4j", "benchmarks"),
                version("org.deeplearning4j", "deeplearning4j-nn"), readBackend(), readCpu(),
                System.getProperty("java.vendor") + " " + System.getProperty("java.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                Instant.now().toString(), placement);
    }

    private static String readBackend() {
        try {
            Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
            return Nd4j.getBackend().getClass().getSimpleName() + ", natives " + Natives.loaded() + ", blas "
                    + env.getOrDefault("blas.vendor", "?") + ", omp threads " + env.getOrDefault("omp.threads", "?")
                    + runtimeSettings();
        } catch (RuntimeException e) {
            return Nd4j.getBackend().getClass().getSimpleName() + runtimeSettings();
        }
    }

    /** The process settings that change how fast a run trains (see {@code docs/performance.md}). */
    private static String runtimeSettings() {
        return ", OpenMP wait policy " + ThreadWaiting.setting() + ", OpenBLAS thread timeout "
                + ThreadWaiting.blasSetting() + ", native memory " + NativeMemory.setting()
                + ", JavaCPP resident-size check " + NativeMemory.javacppPhysicalCheck();
    }

    private static String readCpu() {
        String model = "unknown CPU";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    model = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (IOException e) {
            model = System.getProperty("os.arch");
        }
        return model + ", " + Runtime.getRuntime().availableProcessors() + " cores";
    }

    private static String version(String group, String artifact) {
        String resource = "/META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (InputStream in = Provenance.class.getResourceAsStream(resource)) {
            if (in != null) {
                Properties properties = new Properties();
                properties.load(in);
                return properties.getProperty("version", "unknown");
            }
        } catch (IOException e) {
            return "unknown";
        }
        Package pkg = Provenance.class.getPackage();
        return pkg.getImplementationVersion() != null ? pkg.getImplementationVersion() : "unknown (not run from a jar)";
    }

    /** The folder of the running code (jar or classes), so the commit is the code's, not the working folder's. */
    private static String codeFolder() {
        try {
            Path code = Path.of(Provenance.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return (Files.isDirectory(code) ? code : code.getParent()).toString();
        } catch (URISyntaxException | RuntimeException e) {
            return ".";
        }
    }

    private static String readGitCommit() {
        try {
            Process process = new ProcessBuilder("git", "-C", codeFolder(), "rev-parse", "HEAD").redirectErrorStream(true).start();
            String head = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0 || !head.matches("[0-9a-f]{40}")) {
                return "unknown";
            }
            Process status = new ProcessBuilder("git", "-C", codeFolder(), "status", "--porcelain", "--untracked-files=no")
                    .redirectErrorStream(true).start();
            String changes = new String(status.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            status.waitFor(10, TimeUnit.SECONDS);
            return changes.isEmpty() ? head : head + "-dirty";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
