package org.peft4j.bench.volumetric;

import java.nio.file.Path;
import org.peft4j.bench.data.DataFileException;

/**
 * A transfer setting from one set of labelled volumes: the source task is the first half of the
 * classes (where a backbone is pretrained), the target task the other half, relabelled from 0
 * (where it is fine-tuned).
 *
 * @param description  where the volumes came from
 * @param sourceTrain  training volumes of the source classes
 * @param sourceTest   test volumes of the source classes
 * @param targetTrain  training volumes of the target classes
 * @param targetTest   test volumes of the target classes
 * @param sourceClasses number of source classes
 * @param targetClasses number of target classes
 */
record Tasks(String description, VolumeSplit sourceTrain, VolumeSplit sourceTest, VolumeSplit targetTrain,
        VolumeSplit targetTest, int sourceClasses, int targetClasses) {

    /** Generated volumes of {@code size}^3: {@code volumes} for training, half as many for testing. */
    static Tasks synthetic(int size, int volumes, int classes, long seed) {
        VolumeSplit train = SyntheticVolumes.generate("synthetic:train", volumes, size, classes, seed);
        VolumeSplit test = SyntheticVolumes.generate("synthetic:test", Math.max(classes, volumes / 2), size, classes,
                seed + 7919);
        return split("generated volumes " + size + "^3, " + classes + " classes", train, test, classes);
    }

    /** The train and test splits of a MedMNIST 3D file, at most {@code limit} volumes each. */
    static Tasks fromFile(Path file, Integer limit) throws java.io.IOException {
        try (MedMnist3d medmnist = MedMnist3d.open(file)) {
            int classes = medmnist.classes();
            if (classes < 2) {
                throw new DataFileException(file, "has " + classes + " class; a transfer needs at least 2");
            }
            VolumeSplit train = read(medmnist, MedMnist3d.Split.TRAIN, limit);
            VolumeSplit test = read(medmnist, MedMnist3d.Split.TEST, limit);
            return split(file.getFileName() + " (" + classes + " classes)", train, test, classes);
        }
    }

    private static VolumeSplit read(MedMnist3d medmnist, MedMnist3d.Split split, Integer limit)
            throws DataFileException {
        long count = limit == null ? medmnist.size(split) : Math.min(limit, medmnist.size(split));
        return medmnist.read(split, 0, count);
    }

    private static Tasks split(String description, VolumeSplit train, VolumeSplit test, int classes) {
        int source = classes / 2;
        return new Tasks(description, train.classRange(0, source), test.classRange(0, source),
                train.classRange(source, classes), test.classRange(source, classes), source, classes - source);
    }
}
