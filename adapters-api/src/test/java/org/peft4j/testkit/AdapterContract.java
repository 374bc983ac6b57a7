package org.peft4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Supplier;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.peft4j.ParameterReport;
import org.peft4j.Peft;
import org.peft4j.PeftModel;
import org.peft4j.io.AdapterFile;
import org.peft4j.io.AtomicFiles;
import org.peft4j.io.SafeTensorsException;
import org.peft4j.network.NetworkKind;
import org.peft4j.spi.AdaptedLayer;
import org.peft4j.spi.AdapterConfig;
import org.peft4j.spi.MergeableLayer;

/**
 * The contract every adapter method passes, on the network its fixture builds, with the
 * {@link LifecycleContract}. Extend it once per
 * network kind (MultiLayerNetwork, ComputationGraph) and return the fixture:
 *
 * <pre>{@code
 * class LoraGraphContractTest extends AdapterContract {
 *     protected ContractFixture fixture() { return ...; }
 * }
 * }</pre>
 */
public abstract class AdapterContract implements LifecycleContract {

    private static final int TRAIN_STEPS = 15;

    @TempDir
    Path temp;

    /** The method, its config and the network to test on. */
    protected abstract ContractFixture fixture();

    @Override
    public final ContractFixture lifecycleFixture() {
        return fixture();
    }

    /** Relative tolerance of merged vs adapted outputs: 1e-5 in float, 1e-10 in double. */
    protected double mergeTolerance(DataType type) {
        return type == DataType.DOUBLE ? 1e-10 : 1e-5;
    }

    /** The method that must adapt {@code layer}: by default the fixture's. */
    protected String expectedMethod(String layer) {
        return fixture().method();
    }

    /** The configuration {@code layer} must be adapted with: by default the fixture's. */
    protected AdapterConfig expectedConfig(String layer) {
        return fixture().config();
    }

    private PeftModel<Model> adapt(Model base, IUpdater updater) {
        return Peft.apply(base, adapterRules().updater(updater).build(), fixture().registry());
    }

    private void assertExpectedMethods(PeftModel<Model> model) {
        assertThat(model.layerMethods()).isNotEmpty();
        model.layerMethods().forEach((layer, adapted) -> {
            assertThat(adapted.method()).as(layer).isEqualTo(expectedMethod(layer));
            assertThat(adapted.config()).as(layer).isEqualTo(expectedConfig(layer));
        });
        if (model.layerMethods().values().stream().distinct().count() == 1) {
            assertThat(model.config()).isEqualTo(model.layerMethods().values().iterator().next().config());
        } else {
            assertThatThrownBy(model::config).isInstanceOf(IllegalStateException.class);
        }
    }

    private PeftModel<Model> trained(DataType type) {
        PeftModel<Model> model = adapt(fixture().baseNetwork().apply(type), new Adam(1e-2));
        Nets.fit(model.network(), fixture().data().apply(type), TRAIN_STEPS);
        return model;
    }

    @Test
    void adaptedOutputEqualsBaseOutputExactlyAtInit() {
        Model base = fixture().baseNetwork().apply(DataType.FLOAT);
        INDArray x = fixture().data().apply(DataType.FLOAT).getFeatures();
        PeftModel<Model> model = adapt(base, new Adam(1e-3));
        assertThat(Nets.values(Nets.output(model.network(), x))).containsExactly(Nets.values(Nets.output(base, x)));
    }

    @Test
    void pretrainedNetworkIsNotModified() {
        Model base = fixture().baseNetwork().apply(DataType.FLOAT);
        double[] before = Nets.values(base.params());
        PeftModel<Model> model = adapt(base, new Adam(1e-2));
        Nets.fit(model.network(), fixture().data().apply(DataType.FLOAT), 3);
        model.mergeInPlace();
        assertThat(Nets.values(base.params())).containsExactly(before);
    }

    @Test
    void parameterReportCountsAdapterKeysAsTrainableAndBaseAsFrozen() {
        Model base = fixture().baseNetwork().apply(DataType.FLOAT);
        PeftModel<Model> model = adapt(base, new Adam(1e-3));
        long adapterParams = Nets.adapterParams(model.network()).values().stream().mapToLong(INDArray::length).sum();
        ParameterReport report = model.parameterReport();
        assertThat(adapterParams).isPositive();
        assertThat(report.trainable()).isEqualTo(adapterParams);
        assertThat(report.frozen()).isEqualTo(base.numParams());
        assertThat(report.total()).isEqualTo(model.network().numParams());
        assertThat(report.totalAfterMerge()).isEqualTo(base.numParams());
        assertThat(model.mergeAndUnload().numParams()).isEqualTo(base.numParams());
        assertThat(report.table()).contains("trainable params: " + String.format("%,d", adapterParams));
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void mergedAndUnloadedOutputsEqualAdaptedOutputsAfterTraining(DataType type) {
        Model base = fixture().baseNetwork().apply(type);
        INDArray x = fixture().data().apply(type).getFeatures();
        PeftModel<Model> model = trained(type);
        INDArray adapted = Nets.output(model.network(), x);
        assertThat(Nets.maxRelativeError(adapted, Nets.output(base, x)))
                .as("training must move the adapted network away from the base").isGreaterThan(1e-4);

        Model unloaded = model.mergeAndUnload();
        assertThat(Nets.maxRelativeError(Nets.output(unloaded, x), adapted)).isLessThanOrEqualTo(mergeTolerance(type));
        assertThat(Nets.layerTypes(unloaded)).isEqualTo(Nets.layerTypes(base));
        assertThat(json(unloaded)).doesNotContain("org.peft4j");
        assertThat(Nets.values(Nets.output(model.network(), x))).as("unload must not change the adapted model")
                .containsExactly(Nets.values(adapted));

        model.mergeInPlace();
        assertThat(Nets.maxRelativeError(Nets.output(model.network(), x), adapted))
                .isLessThanOrEqualTo(mergeTolerance(type));
        for (var slot : Nets.layers(model.network())) {
            if (slot.runtime() instanceof MergeableLayer mergeable) {
                for (INDArray delta : mergeable.baseDelta().values()) {
                    assertThat(delta.amaxNumber().doubleValue()).as("delta of " + slot.name() + " after merge")
                            .isZero();
                }
            }
        }
    }

    @Test
    void mergeInPlaceClearsTheAdapterOptimiserStateOnly() {
        PeftModel<Model> model = trained(DataType.FLOAT);
        Model net = model.network();
        double[] before = Nets.values(NetworkKind.of(net).updater(net).getStateViewArray());
        long adapterParams = Nets.adapterParams(net).values().stream().mapToLong(INDArray::length).sum();
        model.mergeInPlace();
        double[] after = Nets.values(NetworkKind.of(net).updater(net).getStateViewArray());
        long zeroed = 0;
        for (int i = 0; i < before.length; i++) {
            if (after[i] != before[i]) {
                assertThat(after[i]).as("state element " + i + " may only change to zero").isZero();
                zeroed++;
            }
        }
        assertThat(zeroed).as("Adam holds two state values per adapter parameter").isEqualTo(2 * adapterParams);
    }

    @Test
    void frozenParametersAreBitIdenticalAfterFit() {
        PeftModel<Model> model = adapt(fixture().baseNetwork().apply(DataType.FLOAT), new Adam(1e-2));
        Map<String, INDArray> frozen = Nets.snapshot(model.network(), true);
        Map<String, INDArray> trainable = Nets.snapshot(model.network(), false);
        Nets.fit(model.network(), fixture().data().apply(DataType.FLOAT), TRAIN_STEPS);
        Map<String, INDArray> frozenAfter = Nets.snapshot(model.network(), true);
        frozen.forEach((name, value) -> assertThat(Nets.values(frozenAfter.get(name))).as(name)
                .containsExactly(Nets.values(value)));
        Map<String, INDArray> trainableAfter = Nets.snapshot(model.network(), false);
        assertThat(trainable.keySet()).allSatisfy(name -> assertThat(trainable.get(name).equals(trainableAfter.get(name)))
                .as(name + " should train").isFalse());
    }

    @Test
    void gradientCheckPassesInDoublePrecision() {
        DataType previous = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            PeftModel<Model> model = adapt(fixture().baseNetwork().apply(DataType.DOUBLE), new NoOp());
            Nd4j.getRandom().setSeed(7);
            Nets.adapterParams(model.network()).values()
                    .forEach(p -> p.assign(Nd4j.randn(DataType.DOUBLE, p.shape()).muli(0.5)));
            DataSet data = fixture().data().apply(DataType.DOUBLE);
            boolean ok;
            if (model.network() instanceof MultiLayerNetwork mln) {
                ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(mln)
                        .input(data.getFeatures()).labels(data.getLabels())
                        .excludeParams(Nets.frozenParamNames(mln)));
            } else {
                ComputationGraph graph = (ComputationGraph) model.network();
                ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(graph)
                        .inputs(new INDArray[] {data.getFeatures()}).labels(new INDArray[] {data.getLabels()})
                        .excludeParams(Nets.frozenParamNames(graph)));
            }
            assertThat(ok).as("GradientCheckUtil on the adapter parameters").isTrue();
        } finally {
            Nd4j.setDefaultDataTypes(previous, previous);
        }
    }

    /**
     * Float (on the natives the tests run, oneDNN where it applies) against double on the same parameters: the
     * outputs and the adapter gradients agree to 1e-4 relative to their largest magnitude.
     */
    @Test
    void floatAgreesWithDoubleWithin1e4() {
        PeftModel<Model> inDouble = adapt(fixture().baseNetwork().apply(DataType.DOUBLE), new NoOp());
        Nd4j.getRandom().setSeed(11);
        Nets.adapterParams(inDouble.network()).values()
                .forEach(p -> p.assign(Nd4j.randn(DataType.DOUBLE, p.shape()).muli(0.5)));
        PeftModel<Model> inFloat = adapt(fixture().baseNetwork().apply(DataType.FLOAT), new NoOp());
        inFloat.network().setParams(inDouble.network().params().castTo(DataType.FLOAT));
        DataSet data = fixture().data().apply(DataType.DOUBLE);
        INDArray x = data.getFeatures();
        assertThat(Nets.normRelativeError(Nets.output(inFloat.network(), x.castTo(DataType.FLOAT)),
                Nets.output(inDouble.network(), x))).as("outputs").isLessThan(1e-4);
        INDArray gradientDouble = Nets.gradient(inDouble.network(), data);
        INDArray gradientFloat = Nets.gradient(inFloat.network(), new DataSet(x.castTo(DataType.FLOAT),
                data.getLabels().castTo(DataType.FLOAT)));
        assertThat(Nets.normRelativeError(gradientFloat, gradientDouble)).as("gradients").isLessThan(1e-4);
    }

    @Test
    void jsonRoundTripGivesIdenticalOutputs() {
        PeftModel<Model> model = trained(DataType.FLOAT);
        INDArray x = fixture().data().apply(DataType.FLOAT).getFeatures();
        Model copy;
        if (model.network() instanceof MultiLayerNetwork mln) {
            MultiLayerNetwork restored = new MultiLayerNetwork(
                    org.deeplearning4j.nn.conf.MultiLayerConfiguration.fromJson(mln.getLayerWiseConfigurations().toJson()));
            restored.init(mln.params().dup(), false);
            copy = restored;
        } else {
            ComputationGraph graph = (ComputationGraph) model.network();
            ComputationGraph restored = new ComputationGraph(
                    org.deeplearning4j.nn.conf.ComputationGraphConfiguration.fromJson(graph.getConfiguration().toJson()));
            restored.init(graph.params().dup(), false);
            copy = restored;
        }
        assertThat(json(copy)).isEqualTo(json(model.network()));
        assertThat(Nets.values(Nets.output(copy, x))).containsExactly(Nets.values(Nets.output(model.network(), x)));
        assertExpectedMethods(Peft.wrap(copy));
    }

    @Test
    void modelSerializerRoundTripResumesTrainingIdentically() throws IOException {
        PeftModel<Model> model = trained(DataType.FLOAT);
        Path file = temp.resolve("adapted.zip");
        AtomicFiles.writeModel(model.network(), file, true);
        Model restored = model.network() instanceof MultiLayerNetwork
                ? ModelSerializer.restoreMultiLayerNetwork(file.toFile(), true)
                : ModelSerializer.restoreComputationGraph(file.toFile(), true);
        DataSet data = fixture().data().apply(DataType.FLOAT);
        assertThat(Nets.values(Nets.output(restored, data.getFeatures())))
                .containsExactly(Nets.values(Nets.output(model.network(), data.getFeatures())));
        Nets.fit(model.network(), data, 2);
        Nets.fit(restored, data, 2);
        assertThat(Nets.values(restored.params())).containsExactly(Nets.values(model.network().params()));
        assertThat(Peft.wrap(restored).adaptedLayers()).isEqualTo(model.adaptedLayers());
    }

    @Test
    void adapterFileRoundTripsOntoAFreshBaseNetwork() throws IOException {
        PeftModel<Model> model = trained(DataType.FLOAT);
        INDArray x = fixture().data().apply(DataType.FLOAT).getFeatures();
        Path file = temp.resolve("adapter.safetensors");
        model.saveAdapter(file);
        long stored = AdapterFile.read(file).tensors().values().stream().mapToLong(INDArray::length).sum();
        assertThat(stored).as("the file holds the adapter parameters only")
                .isEqualTo(Nets.adapterParams(model.network()).values().stream().mapToLong(INDArray::length).sum());

        PeftModel<Model> loaded = Peft.load(fixture().baseNetwork().apply(DataType.FLOAT), file, fixture().registry());
        assertThat(loaded.adaptedLayers()).isEqualTo(model.adaptedLayers());
        assertExpectedMethods(loaded);
        assertThat(Nets.values(Nets.output(loaded.network(), x))).containsExactly(Nets.values(Nets.output(model.network(), x)));

        PeftModel<Model> fresh = adapt(fixture().baseNetwork().apply(DataType.FLOAT), new Adam(1e-3));
        fresh.loadAdapterWeights(file);
        assertThat(Nets.values(Nets.output(fresh.network(), x))).containsExactly(Nets.values(Nets.output(model.network(), x)));
    }

    @Test
    void corruptOrTruncatedAdapterFilesFailNamingTheFile() throws IOException {
        PeftModel<Model> model = trained(DataType.FLOAT);
        Path file = temp.resolve("adapter.safetensors");
        model.saveAdapter(file);
        byte[] bytes = Files.readAllBytes(file);

        Path truncated = temp.resolve("truncated.safetensors");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 5));
        assertThatThrownBy(() -> Peft.load(fixture().baseNetwork().apply(DataType.FLOAT), truncated, fixture().registry()))
                .isInstanceOf(SafeTensorsException.class).hasMessageContaining(truncated.toString())
                .hasMessageContaining("truncated");

        Path corrupt = temp.resolve("corrupt.safetensors");
        Files.write(corrupt, bytes);
        try (RandomAccessFile raf = new RandomAccessFile(corrupt.toFile(), "rw")) {
            raf.seek(bytes.length - 3);
            raf.write(bytes[bytes.length - 3] ^ 0x5a);
        }
        assertThatThrownBy(() -> model.loadAdapterWeights(corrupt))
                .isInstanceOf(SafeTensorsException.class).hasMessageContaining(corrupt.toString())
                .hasMessageContaining("checksum");

        Path garbage = temp.resolve("garbage.safetensors");
        Files.write(garbage, "not a safetensors file at all".getBytes());
        assertThatThrownBy(() -> model.loadAdapterWeights(garbage)).isInstanceOf(SafeTensorsException.class)
                .hasMessageContaining(garbage.toString());
    }

    @Test
    void invalidHyperParametersFail() {
        assertThat(fixture().invalidConfigs()).isNotEmpty();
        for (Supplier<?> invalid : fixture().invalidConfigs()) {
            assertThatThrownBy(invalid::get).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void adaptedLayersDescribeTheirBase() {
        Model base = fixture().baseNetwork().apply(DataType.FLOAT);
        PeftModel<Model> model = adapt(base, new Adam(1e-3));
        Map<String, String> baseTypes = new java.util.HashMap<>();
        Nets.layers(base).forEach(s -> baseTypes.put(s.name(), s.config().getClass().getName()));
        for (var slot : Nets.layers(model.network())) {
            if (slot.config() instanceof AdaptedLayer adapted) {
                assertThat(adapted.methodName()).isEqualTo(expectedMethod(slot.name()));
                assertThat(adapted.baseLayer().getClass().getName()).isEqualTo(baseTypes.get(slot.name()));
                assertThat(adapted.frozenKeys()).allSatisfy(k -> assertThat(slot.runtime().paramTable()).containsKey(k));
            }
        }
    }

    private static String json(Model network) {
        return network instanceof MultiLayerNetwork mln ? mln.getLayerWiseConfigurations().toJson()
                : ((ComputationGraph) network).getConfiguration().toJson();
    }
}
