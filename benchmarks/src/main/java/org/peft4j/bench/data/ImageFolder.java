package org.peft4j.bench.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import org.datavec.api.io.labels.ParentPathLabelGenerator;
import org.datavec.api.split.FileSplit;

/**
 * Reads an image folder with one sub-folder per class ({@code root/CNV/img1.png}, ...): DataVec's
 * {@link FileSplit} lists the image files recursively and its {@link ParentPathLabelGenerator}
 * names each file's class after its folder; classes are the sorted folder names. Images are
 * decoded with {@code javax.imageio} (PNG, JPEG, BMP, GIF), converted to grayscale or RGB and
 * resized to {@code size x size} with bilinear interpolation.
 */
public final class ImageFolder {

    /** File extensions read, lower case. */
    public static final String[] EXTENSIONS = {"png", "jpg", "jpeg", "bmp", "gif"};

    private ImageFolder() {
    }

    /**
     * Reads every image under {@code root}.
     *
     * @param channels 1 (grayscale) or 3 (RGB)
     * @param size     output height and width
     * @throws DataFileException when the folder has no images, an image cannot be decoded, or an
     *     image lies directly in {@code root} (it would have no class)
     */
    public static LabeledImages read(Path root, int channels, int size) throws DataFileException {
        if (!Files.isDirectory(root)) {
            throw new DataFileException(root, "is not a folder (expected one sub-folder of images per class)");
        }
        if (size < 1 || (channels != 1 && channels != 3)) {
            throw new IllegalArgumentException("image size must be >= 1 and channels 1 or 3, got size=" + size
                    + ", channels=" + channels);
        }
        List<URI> files = imageFiles(root).stream().map(Path::toUri).toList();
        if (files.isEmpty()) {
            throw new DataFileException(root, "has no image files (" + String.join(", ", EXTENSIONS) + ")");
        }
        ParentPathLabelGenerator labeller = new ParentPathLabelGenerator();
        List<String> labelNames = new ArrayList<>();
        TreeSet<String> classes = new TreeSet<>();
        for (URI file : files) {
            Path path = Path.of(file);
            if (path.getParent().equals(root.toAbsolutePath().normalize()) || path.getParent().equals(root)) {
                throw new DataFileException(path, "lies directly in the root folder; put each image in its class's folder");
            }
            String label = labeller.getLabelForPath(file).toString();
            labelNames.add(label);
            classes.add(label);
        }
        List<String> classNames = List.copyOf(classes);
        byte[][] pixels = new byte[files.size()][];
        int[] labels = new int[files.size()];
        for (int i = 0; i < files.size(); i++) {
            pixels[i] = decode(Path.of(files.get(i)), channels, size);
            labels[i] = classNames.indexOf(labelNames.get(i));
        }
        return new LabeledImages(root.getFileName() + "", channels, size, size, pixels, labels, classNames);
    }

    /** The image files under {@code root}, in the order {@link #read} gives their images. */
    public static List<Path> imageFiles(Path root) {
        List<URI> files = new ArrayList<>();
        Iterator<URI> locations = new FileSplit(root.toFile(), EXTENSIONS, true).locationsIterator();
        locations.forEachRemaining(files::add);
        files.sort(null);
        return files.stream().map(Path::of).toList();
    }

    private static byte[] decode(Path file, int channels, int size) throws DataFileException {
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException e) {
            throw new DataFileException(file, "cannot decode image: " + e.getMessage(), e);
        }
        if (image == null) {
            throw new DataFileException(file, "is not a readable image (no javax.imageio decoder accepts it)");
        }
        BufferedImage scaled = new BufferedImage(size, size,
                channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scaled.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image, 0, 0, size, size, null);
        g.dispose();
        byte[] out = new byte[channels * size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                if (channels == 1) {
                    // the raster, not getRGB: getRGB would colour-convert the gray values
                    out[y * size + x] = (byte) scaled.getRaster().getSample(x, y, 0);
                } else {
                    int rgb = scaled.getRGB(x, y);
                    out[y * size + x] = (byte) ((rgb >> 16) & 0xff);
                    out[(size + y) * size + x] = (byte) ((rgb >> 8) & 0xff);
                    out[(2 * size + y) * size + x] = (byte) (rgb & 0xff);
                }
            }
        }
        return out;
    }
}
