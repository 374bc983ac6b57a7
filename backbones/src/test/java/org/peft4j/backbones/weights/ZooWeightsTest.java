package org.peft4j.backbones.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.deeplearning4j.common.resources.DL4JResources;
import org.deeplearning4j.zoo.PretrainedType;
import org.deeplearning4j.zoo.model.VGG16;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.peft4j.backbones.VggMini;
import org.peft4j.io.AtomicFiles;

/** The zoo's cache layout and checksums, in a temporary DL4J resources folder; the download URL points at a closed local port. */
class ZooWeightsTest {

    @TempDir
    Path base;

    private String downloadUrl;

    @BeforeEach
    void useTemporaryResources() {
        downloadUrl = DL4JResources.getBaseDownloadURL();
        DL4JResources.setBaseDirectory(base.toFile());
        DL4JResources.setBaseDownloadURL("http://127.0.0.1:1/");
    }

    @AfterEach
    void restoreResources() {
        DL4JResources.resetBaseDirectoryLocation();
        DL4JResources.setBaseDownloadURL(downloadUrl);
    }

    @Test
    void theCacheFileIsWhereTheZooKeepsItAndMustHaveTheZoosChecksum() throws Exception {
        VGG16 vgg = VGG16.builder().build();
        Path cache = ZooWeights.cacheFile(vgg, PretrainedType.IMAGENET);
        assertThat(cache).isEqualTo(base.resolve("models/vgg16/vgg16_dl4j_inference.zip"));
        assertThat(ZooWeights.checksum(vgg, PretrainedType.IMAGENET)).isEqualTo(ExpectedChecksum.adler32(3501732770L));

        assertThatThrownBy(() -> ZooWeights.restoreCached(vgg, PretrainedType.IMAGENET))
                .isInstanceOf(WeightsFileException.class).hasMessageContaining(cache.toString())
                .hasMessageContaining("no cached zoo file").hasMessageContaining("ADLER32:3501732770");

        AtomicFiles.writeModel(VggMini.create(5, 0), cache, false);
        assertThatThrownBy(() -> ZooWeights.restoreCached(vgg, PretrainedType.IMAGENET))
                .hasMessageContaining("expected 3501732770");
        assertThat(cache).exists();
        assertThatThrownBy(() -> ZooWeights.cacheFile(vgg, PretrainedType.MNIST)).hasMessageContaining("no MNIST weights");
    }

    @Test
    void downloadFailsFastAndSaysWhatToDoWhenTheServerCannotBeReached() {
        VGG16 vgg = VGG16.builder().build();
        long start = System.nanoTime();
        assertThatThrownBy(() -> ZooWeights.download(vgg, PretrainedType.IMAGENET, Duration.ofSeconds(3)))
                .isInstanceOf(WeightsFileException.class)
                .hasMessageContaining("cannot download http://127.0.0.1:1/models/vgg16_dl4j_inference.zip")
                .hasMessageContaining("copy the file to this path by hand");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(Files.exists(ZooWeights.cacheFile(vgg, PretrainedType.IMAGENET))).isFalse();
    }
}
