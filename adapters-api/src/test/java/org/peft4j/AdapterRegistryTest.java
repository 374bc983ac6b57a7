package org.peft4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peft4j.spi.AdapterConfig;
import org.peft4j.spi.AdapterMethod;
import org.peft4j.spi.LayerAdapter;
import org.peft4j.spi.LayerPlan;
import org.peft4j.spi.WeightShape;

class AdapterRegistryTest {

    @TempDir
    Path temp;

    /** A third party's plugin: source compiled here, packed in its own jar with its services file. */
    private static final String PLUGIN = """
            package com.example.thirdparty;

            import java.util.*;
            import org.deeplearning4j.nn.conf.layers.Layer;
            import org.peft4j.spi.*;

            public final class ExampleMethod implements AdapterMethod<ExampleMethod.Config> {
                public record Config(int width) implements AdapterConfig { }
                public String name() { return "third-party-example"; }
                public Class<Config> configType() { return Config.class; }
                public Config defaultConfig() { return new Config(1); }
                public Optional<String> unsupportedReason(Layer layer) { return Optional.of("example only"); }
                public LayerAdapter adapter(WeightShape weight, Config config, LayerPlan plan) {
                    throw new IllegalStateException("example only");
                }
            }
            """;

    @Test
    void findsAThirdPartyPluginJarThroughServiceLoader() throws Exception {
        Path jar = buildPluginJar();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, getClass().getClassLoader())) {
            AdapterRegistry registry = AdapterRegistry.fromClassLoader(loader);
            assertThat(registry.names()).contains("third-party-example");
            AdapterMethod<?> method = registry.get("third-party-example");
            assertThat(method.getClass().getClassLoader()).isSameAs(loader);
            assertThat(method.defaultConfig().getClass().getName()).isEqualTo("com.example.thirdparty.ExampleMethod$Config");
        }
        assertThat(AdapterRegistry.fromClasspath().names()).doesNotContain("third-party-example");
    }

    @Test
    void unknownMethodFailsListingTheAvailableOnes() {
        AdapterRegistry registry = AdapterRegistry.of(new Named("alpha"), new Named("beta"));
        assertThatThrownBy(() -> registry.get("gamma")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'gamma'").hasMessageContaining("alpha, beta");
        assertThatThrownBy(() -> AdapterRegistry.of().get("lora")).hasMessageContaining("none");
    }

    @Test
    void namesMustBeUniqueAndWellFormed() {
        AdapterRegistry registry = AdapterRegistry.of(new Named("alpha"));
        assertThatThrownBy(() -> registry.with(new OtherNamed("alpha"))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("two adapter methods are named 'alpha'");
        assertThatThrownBy(() -> AdapterRegistry.of(new Named("Bad Name"))).hasMessageContaining("invalid name");
        assertThat(registry.with(new Named("beta")).names()).containsExactly("alpha", "beta");
        assertThat(registry.names()).containsExactly("alpha");
    }

    private Path buildPluginJar() throws IOException {
        Path src = temp.resolve("src/com/example/thirdparty/ExampleMethod.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, PLUGIN);
        Path classes = Files.createDirectories(temp.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        int status = javac.run(null, null, null, "-d", classes.toString(), "-cp", classpath, src.toString());
        assertThat(status).as("compiling the plugin").isZero();
        Path jar = temp.resolve("third-party-plugin.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out);
                Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                jarOut.putNextEntry(new JarEntry(classes.relativize(file).toString().replace(File.separatorChar, '/')));
                jarOut.write(Files.readAllBytes(file));
                jarOut.closeEntry();
            }
            jarOut.putNextEntry(new JarEntry("META-INF/services/" + AdapterMethod.class.getName()));
            jarOut.write("com.example.thirdparty.ExampleMethod\n".getBytes(StandardCharsets.UTF_8));
            jarOut.closeEntry();
        }
        return jar;
    }

    /** A minimal method for registry tests. */
    record Named(String name) implements AdapterMethod<Named.Config> {
        record Config() implements AdapterConfig {
        }

        @Override
        public Class<Config> configType() {
            return Config.class;
        }

        @Override
        public Config defaultConfig() {
            return new Config();
        }

        @Override
        public Optional<String> unsupportedReason(Layer layer) {
            return Optional.empty();
        }

        @Override
        public LayerAdapter adapter(WeightShape weight, Config config, LayerPlan plan) {
            throw new IllegalStateException("registry tests only");
        }
    }

    /** Another class with a clashing name. */
    record OtherNamed(String name) implements AdapterMethod<Named.Config> {
        @Override
        public Class<Named.Config> configType() {
            return Named.Config.class;
        }

        @Override
        public Named.Config defaultConfig() {
            return new Named.Config();
        }

        @Override
        public Optional<String> unsupportedReason(Layer layer) {
            return Optional.empty();
        }

        @Override
        public LayerAdapter adapter(WeightShape weight, Named.Config config, LayerPlan plan) {
            throw new IllegalStateException("registry tests only");
        }
    }
}
