package org.peft4j.bench.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {

    @TempDir
    Path temp;

    private void png(Path file, int gray) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                image.getRaster().setSample(x, y, 0, gray);
            }
        }
        ImageIO.write(image, "png", file.toFile());
    }

    @Test
    void oneFolderPerClassSortedByName() throws IOException {
        png(temp.resolve("root/normal/a.png"), 10);
        png(temp.resolve("root/cnv/b.png"), 200);
        png(temp.resolve("root/cnv/c.png"), 100);
        LabeledImages images = ImageFolder.read(temp.resolve("root"), 1, 2);
        assertThat(images.classNames()).containsExactly("cnv", "normal");
        assertThat(images.size()).isEqualTo(3);
        assertThat(images.classCounts()).containsExactly(2, 1);
        // files are sorted: cnv/b, cnv/c, normal/a; a uniform image stays uniform when resized
        assertThat(Byte.toUnsignedInt(images.pixels(0)[0])).isEqualTo(200);
        assertThat(Byte.toUnsignedInt(images.pixels(1)[3])).isEqualTo(100);
        assertThat(images.label(2)).isEqualTo(1);
        assertThat(Byte.toUnsignedInt(images.pixels(2)[1])).isEqualTo(10);
    }

    @Test
    void rgbOutputRepeatsGrayInEveryChannel() throws IOException {
        png(temp.resolve("root/x/a.png"), 77);
        LabeledImages images = ImageFolder.read(temp.resolve("root"), 3, 3);
        assertThat(images.pixels(0)).hasSize(27);
        for (byte b : images.pixels(0)) {
            assertThat(Byte.toUnsignedInt(b)).isEqualTo(77);
        }
    }

    @Test
    void badImagesAndLayoutsAreNamed() throws IOException {
        Files.createDirectories(temp.resolve("bad/cls"));
        Files.writeString(temp.resolve("bad/cls/broken.png"), "not a png");
        assertThatThrownBy(() -> ImageFolder.read(temp.resolve("bad"), 1, 8)).isInstanceOf(DataFileException.class)
                .hasMessageContaining("broken.png");
        Files.createDirectories(temp.resolve("empty/cls"));
        assertThatThrownBy(() -> ImageFolder.read(temp.resolve("empty"), 1, 8)).hasMessageContaining("has no image files");
        png(temp.resolve("flat/a.png"), 1);
        assertThatThrownBy(() -> ImageFolder.read(temp.resolve("flat"), 1, 8)).hasMessageContaining("directly in the root");
    }
}
