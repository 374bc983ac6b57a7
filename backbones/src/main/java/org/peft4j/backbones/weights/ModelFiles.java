package org.peft4j.backbones.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.util.ModelSerializer;

/**
 * DL4J model files ({@link ModelSerializer} zips, as the zoo's cached {@code *_dl4j_inference*.zip}
 * files and {@code org.peft4j.io.AtomicFiles.writeModel}) read after their checksum is verified.
 */
public final class ModelFiles {

    private static final String CONFIGURATION = "configuration.json";

    private ModelFiles() {
    }

    /**
     * The network in {@code file}, a {@code ComputationGraph} or a {@code MultiLayerNetwork} as saved.
     *
     * @throws WeightsFileException when the file is absent, fails {@code checksum}, or is not a DL4J model file
     */
    public static Model restore(Path file, ExpectedChecksum checksum) throws IOException {
        checksum.verify(file);
        boolean graph = isGraph(file);
        try {
            return graph ? ModelSerializer.restoreComputationGraph(file.toFile(), false)
                    : ModelSerializer.restoreMultiLayerNetwork(file.toFile(), false);
        } catch (IOException | RuntimeException e) {
            throw new WeightsFileException(file, "not a readable DL4J " + (graph ? "ComputationGraph" : "MultiLayerNetwork")
                    + " file: " + e.getMessage(), e);
        }
    }

    /** The parameters in {@code file} by layer name, see {@link #restore}. */
    public static NamedWeights read(Path file, ExpectedChecksum checksum) throws IOException {
        return NamedWeights.of(restore(file, checksum), file.toString());
    }

    private static boolean isGraph(Path file) throws WeightsFileException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry entry = zip.getEntry(CONFIGURATION);
            if (entry == null) {
                throw new WeightsFileException(file, "not a DL4J model file: the zip has no " + CONFIGURATION);
            }
            try (InputStream in = zip.getInputStream(entry)) {
                JsonNode json = new ObjectMapper().readTree(in);
                if (json.has("vertices")) {
                    return true;
                }
                if (json.has("confs")) {
                    return false;
                }
                throw new WeightsFileException(file, CONFIGURATION + " describes neither a ComputationGraph nor a MultiLayerNetwork");
            }
        } catch (WeightsFileException e) {
            throw e;
        } catch (IOException e) {
            throw new WeightsFileException(file, "not a DL4J model file (not a readable zip with " + CONFIGURATION + "): "
                    + e.getMessage(), e);
        }
    }
}
