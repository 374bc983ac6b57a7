package org.peft4j.lora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.hash.Hashing;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.ViewIterator;
import org.peft4j.LayerSelector;
import org.peft4j.MergeEveryEpochs;
import org.peft4j.Peft;
import org.peft4j.PeftConfig;
import org.peft4j.PeftModel;
import org.peft4j.io.AdapterFile;
import org.peft4j.io.SafeTensors;
import org.peft4j.io.SafeTensorsException;
import org.peft4j.testkit.Nets;

/**
 * Adapter files that do not fit the model they are loaded into, or that are corrupt or broken,
 * are refused with an error naming the file and what differs; nothing is loaded or written then.
 */
class AdapterFileBadInputTest {

    @TempDir
    Path temp;

    private final INDArray x = LoraFixtures.data(DataType.FLOAT).getFeatures();

    private static PeftModel<MultiLayerNetwork> adapted(MultiLayerNetwork base, double alpha) {
        return Peft.apply(base, PeftConfig.builder().method("lora").config(LoraConfig.of(2, alpha))
                .targets(LayerSelector.byType(DenseLayer.class)).build(), LoraFixtures.registry());
    }

    private PeftModel<MultiLayerNetwork> trained(double alpha) {
        PeftModel<MultiLayerNetwork> model = adapted(LoraFixtures.mlp(DataType.FLOAT), alpha);
        Nets.fit(model.network(), LoraFixtures.data(DataType.FLOAT), 5);
        return model;
    }

    private Path saved(PeftModel<MultiLayerNetwork> model) throws IOException {
        Path file = temp.resolve("adapter.safetensors");
        model.saveAdapter(file);
        return file;
    }

    @Test
    void anAdapterSavedAfterMergesIsRefusedOnThePretrainedBase() throws IOException {
        PeftModel<MultiLayerNetwork> model = adapted(LoraFixtures.mlp(DataType.FLOAT), 8);
        model.network().setListeners(new MergeEveryEpochs(1));
        model.network().fit(new ViewIterator(LoraFixtures.data(DataType.FLOAT), 6), 3);
        Path file = saved(model);

        assertThatThrownBy(() -> Peft.load(LoraFixtures.mlp(DataType.FLOAT), file, LoraFixtures.registry()))
                .isInstanceOf(SafeTensorsException.class).hasMessageContaining(file.toString())
                .hasMessageContaining("'dense1'").hasMessageContaining("merged weights")
                .hasMessageContaining("mergeAndUnload()");
        PeftModel<MultiLayerNetwork> pretrained = adapted(LoraFixtures.mlp(DataType.FLOAT), 8);
        double[] before = Nets.values(pretrained.network().params());
        assertThatThrownBy(() -> pretrained.loadAdapterWeights(file)).isInstanceOf(SafeTensorsException.class)
                .hasMessageContaining("'dense1'").hasMessageContaining("MergeEveryEpochs");
        assertThat(Nets.values(pretrained.network().params())).containsExactly(before);

        double[] expected = Nets.values(model.network().output(x));
        model.loadAdapterWeights(file);
        assertThat(Nets.values(model.network().output(x))).containsExactly(expected);
        PeftModel<MultiLayerNetwork> onMerged = Peft.load(model.mergeAndUnload(), file, LoraFixtures.registry());
        assertThat(Nets.maxRelativeError(onMerged.network().output(x), model.network().output(x))).isLessThan(1e-6);
    }

    @Test
    void anAdapterIsRefusedOnABaseWithOtherWeightsOfTheSameShapes() throws IOException {
        Path file = saved(trained(8));
        MultiLayerNetwork other = LoraFixtures.mlp(DataType.FLOAT);
        other.getLayer(1).getParam("W").addi(1e-3);
        assertThatThrownBy(() -> Peft.load(other, file, LoraFixtures.registry()))
                .isInstanceOf(SafeTensorsException.class).hasMessageContaining(file.toString())
                .hasMessageContaining("made for another model").hasMessageContaining("'dense2'");
    }

    @Test
    void aChangedHeaderFieldFailsTheChecksum() throws IOException {
        Path file = saved(trained(8));
        for (String[] flip : new String[][] {
                {"alpha\\\":8.0", "alpha\\\":9.0"}, {"dropout\\\":0.0", "dropout\\\":0.1"},
                {"\"method\":\"lora\"", "\"method\":\"lorb\""}, {"[\\\"dense1\\\",", "[\\\"dense3\\\","},
                {"\"dense1/A\":{\"dtype\":\"F32\",\"shape\":[6,2]", "\"dense1/A\":{\"dtype\":\"F32\",\"shape\":[2,6]"}}) {
            Path changed = copyWith(file, flip[0], flip[1]);
            assertThatThrownBy(() -> Peft.load(LoraFixtures.mlp(DataType.FLOAT), changed, LoraFixtures.registry()))
                    .as(flip[1]).isInstanceOf(SafeTensorsException.class).hasMessageContaining(changed.toString())
                    .hasMessageContaining("checksum mismatch");
        }
    }

    @Test
    void loadingIntoAModelWithAnotherConfigIsRefusedNamingTheField() throws IOException {
        Path file = saved(trained(8));
        PeftModel<MultiLayerNetwork> other = adapted(LoraFixtures.mlp(DataType.FLOAT), 32);
        double[] before = Nets.values(other.network().params());
        assertThatThrownBy(() -> other.loadAdapterWeights(file)).isInstanceOf(SafeTensorsException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("alpha is 8.0 in the file but 32.0 in this model");
        assertThat(Nets.values(other.network().params())).containsExactly(before);
    }

    @Test
    void aDivergedAdapterIsNotSavedAndTheOldFileIsKept() throws IOException {
        PeftModel<MultiLayerNetwork> model = trained(8);
        Path file = saved(model);
        byte[] old = Files.readAllBytes(file);
        model.network().getLayer(0).getParam("B").putScalar(0, 0, Float.NaN);
        model.network().getLayer(1).getParam("A").putScalar(1, Float.POSITIVE_INFINITY);
        model.network().getLayer(1).getParam("A").putScalar(3, Float.NEGATIVE_INFINITY);
        assertThatThrownBy(() -> model.saveAdapter(file)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("'dense1/B': 1 of")
                .hasMessageContaining("'dense2/A': 2 of").hasMessageContaining("nothing was written");
        assertThat(Files.readAllBytes(file)).isEqualTo(old);
    }

    @Test
    void aFileWithNaNValuesIsRefused() throws IOException {
        Path file = saved(trained(8));
        Map<String, INDArray> tensors = new LinkedHashMap<>(SafeTensors.read(file).tensors());
        tensors.get("dense2/B").putScalar(0, Double.NaN);
        Path broken = asVersion1(file, tensors);
        assertThatThrownBy(() -> Peft.load(LoraFixtures.mlp(DataType.FLOAT), broken, LoraFixtures.registry()))
                .isInstanceOf(SafeTensorsException.class).hasMessageContaining(broken.toString())
                .hasMessageContaining("'dense2/B': 1 of");
    }

    @Test
    void aFileOfFormatVersion1StillLoadsWithAWarning() throws IOException {
        PeftModel<MultiLayerNetwork> model = trained(8);
        Path file = saved(model);
        Path legacy = asVersion1(file, SafeTensors.read(file).tensors());
        assertThat(AdapterFile.read(legacy).baseFingerprints()).isEmpty();
        assertThat(AdapterFile.read(file).baseFingerprints()).containsOnlyKeys("dense1", "dense2");

        PrintStream err = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PeftModel<MultiLayerNetwork> loaded;
        try {
            System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
            loaded = Peft.load(LoraFixtures.mlp(DataType.FLOAT), legacy, LoraFixtures.registry());
        } finally {
            System.setErr(err);
        }
        assertThat(Nets.values(loaded.network().output(x))).containsExactly(Nets.values(model.network().output(x)));
        assertThat(log.toString(StandardCharsets.UTF_8)).contains(legacy.toString())
                .contains("format version 1").contains("cannot check");
    }

    /** A format-version-1 copy of {@code file} (no base fingerprints, data checksum only) holding {@code tensors}. */
    private Path asVersion1(Path file, Map<String, INDArray> tensors) throws IOException {
        Map<String, String> metadata = new LinkedHashMap<>(SafeTensors.read(file).metadata());
        metadata.remove("sha256");
        metadata.remove("base_sha256");
        metadata.put("format_version", "1");
        metadata.put("data_sha256", Hashing.sha256().hashBytes(SafeTensors.dataSection(tensors)).toString());
        Path legacy = temp.resolve("v1-" + System.nanoTime() + ".safetensors");
        SafeTensors.write(legacy, metadata, tensors);
        return legacy;
    }

    /** A copy of {@code file} with the first {@code from} replaced by {@code to} (same length). */
    private Path copyWith(Path file, String from, String to) throws IOException {
        String bytes = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        assertThat(bytes).contains(from);
        assertThat(to).hasSameSizeAs(from);
        Path changed = temp.resolve("changed-" + System.nanoTime() + ".safetensors");
        Files.write(changed, bytes.replaceFirst(java.util.regex.Pattern.quote(from),
                java.util.regex.Matcher.quoteReplacement(to)).getBytes(StandardCharsets.ISO_8859_1));
        return changed;
    }
}
