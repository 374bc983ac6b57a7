package org.peft4j.backbones.weights;

import static org.bytedeco.hdf5.global.hdf5.H5F_ACC_TRUNC;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.hdf5.Attribute;
import org.bytedeco.hdf5.DataSet;
import org.bytedeco.hdf5.DataSpace;
import org.bytedeco.hdf5.Group;
import org.bytedeco.hdf5.H5File;
import org.bytedeco.hdf5.H5Object;
import org.bytedeco.hdf5.PredType;
import org.bytedeco.hdf5.StrType;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;

/**
 * Writes small, valid Keras-layout HDF5 weight files with javacpp's HDF5 (the library DL4J's model
 * import ships), as Keras' {@code save_weights} does: root attributes {@code layer_names},
 * {@code backend}, {@code keras_version}; one group per layer with a {@code weight_names}
 * attribute; weights as float datasets, in TensorFlow layout.
 */
final class KerasH5Files {

    /** How the datasets of a layer are named and nested. */
    enum Layout {
        /** Keras 2: {@code block1_conv1/block1_conv1/kernel:0}. */
        KERAS2,
        /** Keras 1 (the v0.1 application files): {@code block1_conv1/block1_conv1_W_1:0}. */
        KERAS1,
        /** A whole-model file: the Keras 2 layout under {@code model_weights}. */
        WHOLE_MODEL
    }

    /** One layer's weights: datasets by name (e.g. {@code kernel}), each with its shape and c-order values. */
    record LayerWeights(String name, Map<String, Tensor> weights) {
    }

    /** A float tensor in c order. */
    record Tensor(long[] shape, float[] values) {
    }

    static {
        Loader.load(org.bytedeco.hdf5.global.hdf5.class);
    }

    private KerasH5Files() {
    }

    static void write(Path file, List<LayerWeights> layers, Layout layout) {
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            H5File h5 = new H5File(file.toString(), H5F_ACC_TRUNC());
            try {
                Group root = layout == Layout.WHOLE_MODEL ? h5.createGroup("model_weights") : h5;
                strings(root, "layer_names", layers.stream().map(LayerWeights::name).toList());
                strings(root, "backend", List.of("tensorflow"));
                strings(root, "keras_version", List.of("2.2.4"));
                for (LayerWeights layer : layers) {
                    Group group = root.createGroup(layer.name());
                    List<String> names = new ArrayList<>();
                    Group holder = layout == Layout.KERAS1 ? group : group.createGroup(layer.name());
                    for (Map.Entry<String, Tensor> weight : layer.weights().entrySet()) {
                        String dataset = layout == Layout.KERAS1
                                ? layer.name() + "_" + (weight.getKey().equals("kernel") ? "W" : "b") + "_1:0"
                                : weight.getKey() + ":0";
                        names.add(layout == Layout.KERAS1 ? dataset : layer.name() + "/" + dataset);
                        floats(holder, dataset, weight.getValue());
                    }
                    strings(group, "weight_names", names.isEmpty() ? List.of("") : names);
                    if (holder != group) {
                        holder.deallocate();
                    }
                    group.deallocate();
                }
                if (root != h5) {
                    root.deallocate();
                }
            } finally {
                h5.deallocate();
            }
        }
    }

    private static void strings(H5Object owner, String name, List<String> values) {
        int width = Math.max(1, values.stream().mapToInt(v -> v.getBytes(StandardCharsets.UTF_8).length).max().orElse(1));
        byte[] bytes = new byte[width * values.size()];
        for (int i = 0; i < values.size(); i++) {
            byte[] value = values.get(i).getBytes(StandardCharsets.UTF_8);
            System.arraycopy(value, 0, bytes, i * width, value.length);
        }
        StrType type = new StrType(PredType.C_S1(), width);
        DataSpace space = new DataSpace(1, new long[] {values.size()});
        Attribute attribute = owner.createAttribute(name, type, space);
        try (BytePointer pointer = new BytePointer(bytes)) {
            attribute.write(type, pointer);
        }
        attribute.deallocate();
        space.deallocate();
        type.deallocate();
    }

    private static void floats(Group group, String name, Tensor tensor) {
        DataSpace space = new DataSpace(tensor.shape().length, tensor.shape());
        DataSet dataset = group.createDataSet(name, PredType.NATIVE_FLOAT(), space);
        try (FloatPointer pointer = new FloatPointer(tensor.values())) {
            dataset.write(pointer, PredType.NATIVE_FLOAT());
        }
        dataset.deallocate();
        space.deallocate();
    }
}
