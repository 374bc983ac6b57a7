package org.peft4j.backbones.weights;

import static org.bytedeco.hdf5.global.hdf5.H5F_ACC_RDONLY;
import static org.bytedeco.hdf5.global.hdf5.H5O_TYPE_DATASET;
import static org.bytedeco.hdf5.global.hdf5.H5O_TYPE_GROUP;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.bytedeco.hdf5.DataSet;
import org.bytedeco.hdf5.DataSpace;
import org.bytedeco.hdf5.Group;
import org.bytedeco.hdf5.H5File;
import org.bytedeco.hdf5.PredType;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keras HDF5 weight files ({@code model.save_weights}, the Keras applications' {@code *_notop.h5}
 * files, or a whole-model {@code .h5} whose weights sit under {@code model_weights}), read with
 * the HDF5 library that DL4J's Keras model import ships (javacpp's {@code org.bytedeco.hdf5}).
 *
 * <p>Each top-level group is a layer; its datasets (directly inside, as Keras 1 wrote them,
 * {@code block1_conv1_W_1:0}, or one group deeper, as Keras 2 does, {@code block1_conv1/kernel:0})
 * are its weights. Kernels and biases of convolutions and dense layers are read and moved to DL4J
 * layouts: a conv kernel [kH, kW, C_in, C_out] (TensorFlow order) becomes {@code W}
 * [C_out, C_in, kH, kW]; a dense kernel [nIn, nOut] is already DL4J's {@code W}; a bias [n] is
 * {@code b}. Files with Theano-ordered kernels ([C_out, C_in, kH, kW], flipped) are not
 * supported: their shapes then disagree in {@link WeightTransfer}. Other weights (batch
 * normalisation, recurrent kernels) are refused with the layer and dataset named.
 *
 * <pre>{@code
 * NamedWeights imagenet = KerasH5Weights.read(Path.of("vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5"),
 *         ExpectedChecksum.md5("6d6bbae143d832006294945121d1f1fc"));   // Keras' published file_hash
 * WeightTransfer.copy(Vgg16.withPaperHead(3, 224, 4, 0), imagenet, Vgg16.backboneLayers());
 * }</pre>
 */
public final class KerasH5Weights {

    private static final Pattern KERNEL = Pattern.compile("(.*/)?(kernel|.*_W(_\\d+)?)(:\\d+)?");
    private static final Pattern BIAS = Pattern.compile("(.*/)?(bias|.*_b(_\\d+)?)(:\\d+)?");
    private static final String MODEL_WEIGHTS = "model_weights";

    static {
        Loader.load(org.bytedeco.hdf5.global.hdf5.class);
    }

    private KerasH5Weights() {
    }

    /**
     * The conv and dense weights of a Keras {@code .h5} file, in DL4J layouts, after checking its checksum.
     *
     * @throws WeightsFileException when the file is absent, fails {@code checksum}, is not HDF5, or
     *     holds weights other than kernels and biases (naming the layer and the dataset)
     */
    public static NamedWeights read(Path file, ExpectedChecksum checksum) throws IOException {
        checksum.verify(file);
        Map<String, Map<String, INDArray>> layers = new LinkedHashMap<>();
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            H5File h5;
            try {
                // checked first: opening a non-HDF5 file makes the library print its error stack
                if (!H5File.isHdf5(file.toString())) {
                    throw new WeightsFileException(file, "not a readable HDF5 file (no HDF5 signature)");
                }
                h5 = new H5File(file.toString(), H5F_ACC_RDONLY());
            } catch (RuntimeException e) {
                throw new WeightsFileException(file, "not a readable HDF5 file: " + e.getMessage(), e);
            }
            try {
                boolean wholeModel = children(h5, H5O_TYPE_GROUP).contains(MODEL_WEIGHTS);
                Group root = wholeModel ? h5.openGroup(MODEL_WEIGHTS) : h5;
                try {
                    for (String layer : children(root, H5O_TYPE_GROUP)) {
                        Group group = root.openGroup(layer);
                        try {
                            Map<String, INDArray> params = layerWeights(file, layer, group);
                            if (!params.isEmpty()) {
                                layers.put(layer, params);
                            }
                        } finally {
                            group.deallocate();
                        }
                    }
                } finally {
                    if (wholeModel) {
                        root.deallocate();
                    }
                }
            } catch (RuntimeException e) {
                throw new WeightsFileException(file, "cannot read Keras weights: " + e.getMessage(), e);
            } finally {
                h5.deallocate();
            }
        }
        if (layers.isEmpty()) {
            throw new WeightsFileException(file, "holds no layer weights (not a Keras weights file?)");
        }
        return new NamedWeights(file.toString(), layers);
    }

    private static Map<String, INDArray> layerWeights(Path file, String layer, Group group) throws WeightsFileException {
        Map<String, INDArray> datasets = new LinkedHashMap<>();
        collect(group, "", datasets);
        Map<String, INDArray> params = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> dataset : datasets.entrySet()) {
            String name = dataset.getKey();
            INDArray value = dataset.getValue();
            String key;
            if (KERNEL.matcher(name).matches() && (value.rank() == 4 || value.rank() == 2)) {
                key = "W";
                value = value.rank() == 4 ? value.permute(3, 2, 0, 1).dup('c') : value;
            } else if (BIAS.matcher(name).matches() && value.rank() == 1) {
                key = "b";
            } else {
                throw new WeightsFileException(file, "layer '" + layer + "' has weight '" + name + "' of shape "
                        + Arrays.toString(value.shape()) + "; only convolution (rank 4) and dense (rank 2) "
                        + "kernels and their biases are read from Keras files");
            }
            if (params.put(key, value) != null) {
                throw new WeightsFileException(file, "layer '" + layer + "' has more than one " + (key.equals("W")
                        ? "kernel" : "bias") + ": " + datasets.keySet());
            }
        }
        return params;
    }

    private static void collect(Group group, String prefix, Map<String, INDArray> into) {
        for (String name : children(group, H5O_TYPE_DATASET)) {
            into.put(prefix + name, readFloats(group, name));
        }
        for (String name : children(group, H5O_TYPE_GROUP)) {
            Group child = group.openGroup(name);
            try {
                collect(child, prefix + name + "/", into);
            } finally {
                child.deallocate();
            }
        }
    }

    private static INDArray readFloats(Group group, String name) {
        DataSet dataset = group.openDataSet(name);
        DataSpace space = dataset.getSpace();
        try {
            long[] shape = new long[space.getSimpleExtentNdims()];
            space.getSimpleExtentDims(shape);
            long length = 1;
            for (long dim : shape) {
                length *= dim;
            }
            if (length > Integer.MAX_VALUE) {
                throw new IllegalStateException("dataset '" + name + "' has " + length + " values, too many for one array");
            }
            float[] values = new float[(int) length];
            try (FloatPointer pointer = new FloatPointer(values.length)) {
                dataset.read(pointer, PredType.NATIVE_FLOAT());
                pointer.get(values);
            }
            return Nd4j.create(values, shape, 'c');
        } finally {
            space.deallocate();
            dataset.deallocate();
        }
    }

    private static List<String> children(Group group, int type) {
        List<String> names = new ArrayList<>();
        for (long i = 0; i < group.getNumObjs(); i++) {
            String name = group.getObjnameByIdx(i).getString();
            if (group.childObjType(name) == type) {
                names.add(name);
            }
        }
        return names;
    }
}
