package org.peft4j.backbones.weights;

import java.io.File;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.deeplearning4j.common.resources.DL4JResources;
import org.deeplearning4j.common.resources.ResourceType;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.zoo.PretrainedType;
import org.deeplearning4j.zoo.ZooModel;

/**
 * The DL4J zoo's pretrained files: where the zoo caches them
 * ({@code ~/.deeplearning4j/models/<model>/<file>}, or under {@link DL4JResources#getBaseDirectory()}),
 * their published Adler-32 checksums, and the zoo's own download.
 *
 * <pre>{@code
 * ZooModel<?> vgg = VGG16.builder().build();
 * Model imagenet = ZooWeights.restoreCached(vgg, PretrainedType.IMAGENET);   // offline, checked
 * }</pre>
 *
 * <p>What the files are: the zoo's VGG16 and ResNet50 IMAGENET files are imports of the Keras
 * applications models ({@code vgg16}, {@code resnet50} v1), with Keras layer names; they expect
 * Caffe-style input, as the zoo's {@code VGG16ImagePreProcessor} does: BGR channel order, 0-255
 * pixel values, minus the ImageNet channel means (B 103.939, G 116.779, R 123.68), no scaling.
 */
public final class ZooWeights {

    private ZooWeights() {
    }

    /** Where the zoo keeps (or would download) the file of {@code model} for {@code type}. */
    public static Path cacheFile(ZooModel<?> model, PretrainedType type) {
        String url = url(model, type);
        File folder = new File(new File(DL4JResources.getBaseDirectory(), ResourceType.ZOO_MODEL.resourceName()),
                model.modelName());
        return new File(folder, new File(url).getName()).toPath();
    }

    /** The zoo's published Adler-32 checksum of that file ({@code unchecked} where the zoo gives none). */
    public static ExpectedChecksum checksum(ZooModel<?> model, PretrainedType type) {
        url(model, type);
        long value = model.pretrainedChecksum(type);
        return value == 0L ? ExpectedChecksum.unchecked() : ExpectedChecksum.adler32(value);
    }

    /**
     * The network in the zoo's cache file, checked against the zoo's checksum; no network access.
     *
     * @throws WeightsFileException when the file is absent (saying where to put it and its checksum)
     *     or fails the checksum (the file is left in place)
     */
    public static Model restoreCached(ZooModel<?> model, PretrainedType type) throws IOException {
        Path file = cacheFile(model, type);
        if (!Files.isRegularFile(file)) {
            throw new WeightsFileException(file, "no cached zoo file for " + model.modelName() + " " + type
                    + "; copy " + url(model, type) + " there (" + checksum(model, type) + "), or load another copy with "
                    + "ModelFiles.restore(path, checksum)");
        }
        return ModelFiles.restore(file, checksum(model, type));
    }

    /**
     * The zoo's pretrained network: from the cache when the file is there, otherwise downloaded
     * by the zoo's {@code initPretrained} once its server answers within {@code timeout}.
     *
     * @throws WeightsFileException at once when the server cannot be reached within
     *     {@code timeout}, naming the URL, the cause and the cache path to fill by hand
     */
    public static Model download(ZooModel<?> model, PretrainedType type, Duration timeout) throws IOException {
        if (Files.isRegularFile(cacheFile(model, type))) {
            return restoreCached(model, type);
        }
        String url = url(model, type);
        probe(url, timeout, cacheFile(model, type), checksum(model, type));
        return model.initPretrained(type);
    }

    private static void probe(String url, Duration timeout, Path cache, ExpectedChecksum checksum)
            throws WeightsFileException {
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        try {
            URLConnection connection = URI.create(url).toURL().openConnection();
            connection.setConnectTimeout(millis);
            connection.setReadTimeout(millis);
            if (connection instanceof HttpURLConnection http) {
                http.setRequestMethod("HEAD");
                http.getResponseCode();
                http.disconnect();
            } else {
                connection.connect();
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new WeightsFileException(cache, "cannot download " + url + " (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + ", timeout " + timeout.toMillis() + " ms): without network access, copy the file "
                    + "to this path by hand (" + checksum + ") or load any copy with ModelFiles.restore(path, checksum)", e);
        }
    }

    private static String url(ZooModel<?> model, PretrainedType type) {
        String url = model.pretrainedUrl(type);
        if (url == null) {
            throw new IllegalArgumentException("the zoo's " + model.modelName() + " has no " + type + " weights");
        }
        return url;
    }
}
