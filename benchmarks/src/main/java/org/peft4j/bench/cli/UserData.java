package org.peft4j.bench.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.peft4j.bench.data.DataFileException;
import org.peft4j.bench.data.ImageFolder;
import org.peft4j.bench.data.LabeledImages;
import org.peft4j.bench.data.MedMnist2d;
import org.peft4j.bench.data.NpzFile;

/**
 * The user's labelled images given with {@code --data}: an image folder with one sub-folder per class (classes
 * are the sorted folder names), or a {@code .npz} file in the MedMNIST layout ({@code train_images},
 * {@code train_labels}, {@code val_...}, {@code test_...}; classes are named 0, 1, ... up to the largest label).
 *
 * @param images the images of the chosen split (all of a folder)
 * @param ids    one name per image for the predictions file: its path under the folder, or its index in the split
 */
record UserData(LabeledImages images, List<String> ids) {

    /**
     * Reads {@code data}.
     *
     * @param split    for a .npz file: train, val or test
     * @param channels image channels to read a folder with (a .npz file keeps its own)
     * @param size     height and width to read a folder at (a .npz file keeps its own; batches are resized)
     */
    static UserData read(Path data, String split, int channels, int size) throws IOException {
        if (Files.isDirectory(data)) {
            List<String> ids = ImageFolder.imageFiles(data).stream().map(f -> data.toAbsolutePath()
                    .relativize(f.toAbsolutePath()).toString()).toList();
            return new UserData(ImageFolder.read(data, channels, size), ids);
        }
        if (!data.getFileName().toString().endsWith(".npz")) {
            throw new IllegalArgumentException("--data " + data + (Files.exists(data) ? " is neither a folder nor a .npz file"
                    : " does not exist"));
        }
        if (!MedMnist2d.SPLITS.contains(split)) {
            throw new IllegalArgumentException("--split " + split + " is not one of " + MedMnist2d.SPLITS);
        }
        NetworkFiles.requireFile(data, "--data");
        MedMnist2d.Splits splits = MedMnist2d.read(data, classNames(data));
        LabeledImages images = switch (split) {
            case "train" -> splits.train();
            case "val" -> splits.val();
            default -> splits.test();
        };
        return new UserData(images, IntStream.range(0, images.size()).mapToObj(Integer::toString).toList());
    }

    /** 0, 1, ... up to the largest label of any split. */
    private static List<String> classNames(Path file) throws DataFileException {
        long largest = 0;
        try (NpzFile npz = NpzFile.open(file)) {
            for (String split : MedMnist2d.SPLITS) {
                String key = split + "_labels";
                if (npz.keys().contains(key)) {
                    for (long label : npz.read(key).toLongs()) {
                        largest = Math.max(largest, label);
                    }
                }
            }
        } catch (DataFileException e) {
            throw e;
        } catch (IOException e) {
            throw new DataFileException(file, "cannot read labels: " + e.getMessage(), e);
        }
        return IntStream.rangeClosed(0, (int) largest).mapToObj(Integer::toString).toList();
    }
}
