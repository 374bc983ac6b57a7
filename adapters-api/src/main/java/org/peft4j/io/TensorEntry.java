package org.peft4j.io;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One tensor of a safetensors header, validated against the file before any of its bytes are
 * read: a known dtype, a shape whose byte size fits a {@code long}, and data offsets that hold
 * exactly that many bytes inside the file's data section.
 *
 * @param name  the tensor's name in the header
 * @param type  {@code FLOAT} (F32) or {@code DOUBLE} (F64)
 * @param shape its shape, row-major
 * @param begin first byte in the data section
 * @param end   one past its last byte in the data section
 */
record TensorEntry(String name, DataType type, long[] shape, long begin, long end) {

    /** The largest tensor this reader holds in memory: a Java array's limit. */
    static final long MAX_TENSOR_BYTES = Integer.MAX_VALUE - 8;

    /**
     * Parses and checks the header entry {@code node} of tensor {@code name}.
     *
     * @param dataBytes the size of the file's data section, which the tensor must fit in
     */
    static TensorEntry parse(Path file, String name, JsonNode node, long dataBytes) throws SafeTensorsException {
        if (!node.isObject() || !node.path("dtype").isTextual() || !node.path("shape").isArray()
                || !node.path("data_offsets").isArray() || node.path("data_offsets").size() != 2) {
            throw new SafeTensorsException(file, "tensor '" + name + "' needs dtype, shape and two data_offsets");
        }
        String dtype = node.get("dtype").asText();
        DataType type = switch (dtype) {
            case "F32" -> DataType.FLOAT;
            case "F64" -> DataType.DOUBLE;
            default -> throw new SafeTensorsException(file, "tensor '" + name + "' has unsupported dtype "
                    + dtype + " (F32 and F64 are read)");
        };
        long[] shape = shape(file, name, node.get("shape"));
        long bytes = byteSize(file, name, node.get("shape"), shape, type);
        JsonNode offsets = node.get("data_offsets");
        long begin = offsets.get(0).canConvertToLong() ? offsets.get(0).asLong() : -1;
        long end = offsets.get(1).canConvertToLong() ? offsets.get(1).asLong() : -1;
        if (begin < 0 || end < begin || end - begin != bytes) {
            throw new SafeTensorsException(file, "tensor '" + name + "' has data_offsets " + offsets
                    + " that do not hold its " + bytes + " bytes (shape " + node.get("shape") + ", " + dtype + ")");
        }
        if (end > dataBytes) {
            throw new SafeTensorsException(file, "truncated: tensor '" + name + "' ends at data byte " + end
                    + " but the file holds only " + dataBytes + " data bytes");
        }
        if (bytes > MAX_TENSOR_BYTES) {
            throw new SafeTensorsException(file, "tensor '" + name + "' holds " + bytes
                    + " bytes, more than the " + MAX_TENSOR_BYTES + " bytes this reader holds in one tensor");
        }
        return new TensorEntry(name, type, shape, begin, end);
    }

    private static long[] shape(Path file, String name, JsonNode dims) throws SafeTensorsException {
        long[] shape = new long[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode dim = dims.get(i);
            if (!dim.isIntegralNumber() || !dim.canConvertToLong() || dim.asLong() < 0) {
                throw new SafeTensorsException(file, "tensor '" + name + "' has a bad shape " + dims);
            }
            shape[i] = dim.asLong();
        }
        return shape;
    }

    private static long byteSize(Path file, String name, JsonNode dims, long[] shape, DataType type)
            throws SafeTensorsException {
        try {
            long count = 1;
            for (long dim : shape) {
                count = Math.multiplyExact(count, dim);
            }
            return Math.multiplyExact(count, (long) type.width());
        } catch (ArithmeticException e) {
            throw new SafeTensorsException(file, "tensor '" + name + "' has shape " + dims
                    + " whose size in bytes overflows a 64-bit count (a corrupt header?)", e);
        }
    }

    /** Reads this tensor's bytes from {@code channel}, whose data section starts at {@code dataStart}. */
    INDArray read(Path file, FileChannel channel, long dataStart) throws IOException {
        ByteBuffer buffer = SafeTensorsReader.bytesAt(file, channel, dataStart + begin, (int) (end - begin))
                .order(ByteOrder.LITTLE_ENDIAN);
        int count = (int) ((end - begin) / type.width());
        if (type == DataType.FLOAT) {
            float[] values = new float[count];
            buffer.asFloatBuffer().get(values);
            return Nd4j.create(values, shape, 'c');
        }
        double[] values = new double[count];
        buffer.asDoubleBuffer().get(values);
        return Nd4j.create(values, shape, 'c');
    }
}
