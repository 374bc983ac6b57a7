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
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.peft4j.spi.AdapterConfig;
import org.peft4j.spi.AdapterMethod;
import org.peft4j.spi.LayerAdapter;
import org.peft4j.spi.LayerPlan;
import org.peft4j.spi.WeightShape;
import org.peft4j.testkit.Nets;

class AdapterRegistryTest {

    @TempDir
    Path temp;

    /**
     * A third party's plugin, source compiled here and packed in its own jar with its services file: a complete
     * method (bias deltas alone, as BitFit) in one class, with no DL4J layer configuration, runtime or parameter
     * initialiser of its own, for every layer kind the execution core runs.
     */
    private static final String PLUGIN = """
            package com.example.thirdparty;

            import java.util.*;
            import org.deeplearning4j.nn.conf.layers.Layer;
            import org.nd4j.linalg.api.ndarray.INDArray;
            import org.nd4j.linalg.factory.Nd4j;
            import org.peft4j.spi.*;

            public final class ExampleMethod implements AdapterMethod<ExampleMethod.Config> {
                public record Config(double scale) implements AdapterConfig { }
                public String name() { return "third-party-example"; }
                public Class<Config> configType() { return Config.class; }
                public Config defaultConfig() { return new Config(2); }
                public Optional<String> unsupportedReason(Layer layer) {
                    return WeightShape.of(layer).filter(WeightShape::bias).isPresent() ? Optional.empty()
                            : Optional.of("needs a layer with a bias");
                }
                public LayerAdapter adapter(WeightShape weight, Config config, LayerPlan plan) {
                    return new LayerAdapter() {
                        public List<AdapterParameter> parameters() {
                            return List.of(AdapterParameter.bias("shift", weight.outputs()));
                        }
                        public void initialise(AdapterParameters p) { p.get("shift").assign(0); }
                        public INDArray weightDelta(AdapterParameters p) { return Nd4j.zeros(p.dataType(), weight.shape()); }
                        public INDArray biasDelta(AdapterParameters p) { return p.get("shift").mul(config.scale()); }
                        public void backward(AdapterParameters p, INDArray g, INDArray gb, AdapterGradients out) {
                            out.set("shift", gb.mul(config.scale()));
                        }
                    };
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
            trainsAndMergesEveryLayerKind(registry, loader);
        }
        assertThat(AdapterRegistry.fromClasspath().names()).doesNotContain("third-party-example");
    }

    /** The plugin adapts a convolution and two dense layers, trains, and merges into a plain network. */
    private static void trainsAndMergesEveryLayerKind(AdapterRegistry registry, ClassLoader loader) {
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(loader);
        try {
            MultiLayerNetwork base = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(3)
                    .dataType(DataType.DOUBLE).updater(new Sgd(0.5)).list()
                    .layer(new ConvolutionLayer.Builder(3, 3).name("conv").nOut(3).activation(Activation.TANH).build())
                    .layer(new DenseLayer.Builder().name("dense").nOut(4).activation(Activation.TANH).build())
                    .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nOut(2)
                            .activation(Activation.SOFTMAX).build())
                    .setInputType(InputType.convolutional(5, 5, 2)).build());
            base.init();
            PeftModel<MultiLayerNetwork> model = Peft.apply(base, PeftConfig.builder().method("third-party-example")
                    .targets(LayerSelector.names("conv", "dense", "out")).build(), registry);
            Nd4j.getRandom().setSeed(4);
            DataSet data = new DataSet(Nd4j.randn(DataType.DOUBLE, 6, 2, 5, 5),
                    Nd4j.eye(2).getRows(0, 1, 0, 1, 0, 1).castTo(DataType.DOUBLE));
            INDArray frozen = model.network().getLayer(0).getParam("W").dup();
            for (int i = 0; i < 5; i++) {
                model.network().fit(data);
            }
            INDArray adapted = model.network().output(data.getFeatures());
            assertThat(Nets.maxRelativeError(adapted, base.output(data.getFeatures()))).isGreaterThan(1e-4);
            assertThat(model.network().getLayer(0).getParam("W")).isEqualTo(frozen);
            assertThat(Nets.maxRelativeError(model.mergeAndUnload().output(data.getFeatures()), adapted)).isLessThan(1e-12);
            assertThat(model.parameterReport().trainable()).isEqualTo(3 + 4 + 2);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
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
