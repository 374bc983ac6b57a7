package org.peft4j.bench.volumetric;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.layers.Convolution3D;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peft4j.bench.data.NpzWriter;
import picocli.CommandLine;

/** The example and the speed benchmark run end to end on tiny settings and write what they promise. */
class Colora3dRunsTest {

    @TempDir
    Path temp;

    /** Generated volumes written in the MedMNIST 3D layout, 4 classes. */
    private Path medmnistFile() throws IOException {
        NpzWriter npz = new NpzWriter();
        String[] splits = {"train", "val", "test"};
        for (int s = 0; s < 3; s++) {
            VolumeSplit volumes = SyntheticVolumes.generate(splits[s], 8, 8, 4, s);
            byte[] voxels = new byte[8 * 512];
            long[] labels = new long[8];
            for (int i = 0; i < 8; i++) {
                labels[i] = volumes.label(i);
                for (int v = 0; v < 512; v++) {
                    voxels[i * 512 + v] = (byte) volumes.voxel(i, v / 64, (v / 8) % 8, v % 8);
                }
            }
            npz.uint8(splits[s] + "_images", new long[] {8, 8, 8, 8}, voxels);
            npz.int64(splits[s] + "_labels", new long[] {8, 1}, labels);
        }
        return npz.write(temp.resolve("tiny3d.npz"), true);
    }

    @Test
    void theExampleFineTunesAMedMnistLayoutFileAndSavesAPlainMergedNetwork() throws IOException {
        Path out = temp.resolve("example");
        int code = new CommandLine(new Colora3dExample()).execute("--data", medmnistFile().toString(), "--limit", "6",
                "--pretrain-epochs", "1", "--epochs", "2", "--batch", "4", "--out", out.toString());
        assertThat(code).isZero();
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertThat(summary.get("sourceClasses").asInt()).isEqualTo(2);
        assertThat(summary.get("targetClasses").asInt()).isEqualTo(2);
        assertThat(summary.get("epochs")).hasSize(2);
        assertThat(summary.get("merges").asInt()).as("MergeEveryEpochs(1) merged after each epoch").isEqualTo(2);
        assertThat(summary.get("mergedMaxAbsDifference").asDouble()).isLessThanOrEqualTo(1e-5);
        assertThat(summary.get("parametersAfterMerge").asLong()).isLessThan(summary.get("totalParameters").asLong());
        assertThat(Files.readString(out.resolve("summary.md"))).contains("| epoch | target test accuracy | seconds |");
        MultiLayerNetwork merged = ModelSerializer.restoreMultiLayerNetwork(out.resolve("cnn3d-small-colora3d-merged.zip").toFile());
        assertThat(merged.getLayerWiseConfigurations().getConf(0).getLayer().getClass()).isEqualTo(Convolution3D.class);
        assertThat(merged.getLayerWiseConfigurations().toJson()).doesNotContain("org.peft4j");
        assertThat(out.resolve("colora3d-adapter.safetensors")).exists();
    }
}
