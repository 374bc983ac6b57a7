package org.peft4j.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads and writes the <a href="https://github.com/huggingface/safetensors">safetensors</a>
 * format used by Hugging Face PEFT for adapter weights: an 8-byte little-endian header length, a
 * JSON header ({@code name -> {dtype, shape, data_offsets}} plus a string map
 * {@code __metadata__}), then the raw little-endian tensor bytes in row-major order.
 *
 * <p>Only data is read: no Java object deserialisation, so a file from a stranger cannot run code.
 * The reader checks everything it relies on (sizes, offsets, dtypes, shapes) and fails with a
 * {@link SafeTensorsException} naming the file. Supported dtypes: {@code F32}, {@code F64}.
 */
public final class SafeTensors {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER = 100L * 1024 * 1024;
    private static final String METADATA = "__metadata__";

    private SafeTensors() {
    }

    /**
     * The contents of a file.
     *
     * @param metadata the {@code __metadata__} string map
     * @param tensors  tensors by name, in file order, in row-major ('c') order
     */
    public record Contents(Map<String, String> metadata, Map<String, INDArray> tensors) {
    }

    /** The data section (all tensors' bytes, in order) that {@link #write} would produce. */
    public static byte[] dataSection(Map<String, INDArray> tensors) {
        int total = 0;
        List<byte[]> parts = new ArrayList<>();
        for (INDArray tensor : tensors.values()) {
            byte[] bytes = bytesOf(tensor);
            parts.add(bytes);
            total = Math.addExact(total, bytes.length);
        }
        ByteBuffer data = ByteBuffer.allocate(total);
        parts.forEach(data::put);
        return data.array();
    }

    /** Atomically writes {@code tensors} (F32 or F64) with {@code metadata}. */
    public static void write(Path file, Map<String, String> metadata, Map<String, INDArray> tensors)
            throws IOException {
        ObjectNode header = JSON.createObjectNode();
        header.set(METADATA, JSON.valueToTree(metadata));
        long offset = 0;
        for (Map.Entry<String, INDArray> entry : tensors.entrySet()) {
            INDArray tensor = entry.getValue();
            ObjectNode info = header.putObject(entry.getKey());
            info.put("dtype", dtypeName(tensor.dataType()));
            info.set("shape", JSON.valueToTree(tensor.shape()));
            long end = offset + tensor.length() * tensor.dataType().width();
            info.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] headerBytes = padded(JSON.writeValueAsBytes(header));
        byte[] data = dataSection(tensors);
        AtomicFiles.write(file, out -> {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(headerBytes.length).array());
            out.write(headerBytes);
            out.write(data);
        });
    }

    /** Reads and validates a whole file. */
    public static Contents read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new SafeTensorsException(file, "no such file");
        }
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length < 8) {
            throw new SafeTensorsException(file, "truncated: " + bytes.length + " bytes, too short for a header");
        }
        long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLength <= 0 || headerLength > MAX_HEADER || headerLength > bytes.length - 8) {
            throw new SafeTensorsException(file, "header length " + headerLength + " does not fit the file's "
                    + bytes.length + " bytes (truncated or not a safetensors file)");
        }
        int dataStart = 8 + (int) headerLength;
        JsonNode header;
        try {
            header = JSON.readTree(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new SafeTensorsException(file, "header is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (header == null || !header.isObject()) {
            throw new SafeTensorsException(file, "header is not a JSON object");
        }
        Map<String, String> metadata = metadata(file, header.get(METADATA));
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        long expectedOffset = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (entry.getKey().equals(METADATA)) {
                continue;
            }
            TensorInfo info = TensorInfo.parse(file, entry.getKey(), entry.getValue());
            if (info.begin != expectedOffset) {
                throw new SafeTensorsException(file, "tensor '" + entry.getKey() + "' starts at byte " + info.begin
                        + " of the data, expected " + expectedOffset + " (tensors must be contiguous, in order)");
            }
            if (dataStart + info.end > bytes.length) {
                throw new SafeTensorsException(file, "truncated: tensor '" + entry.getKey() + "' ends at data byte "
                        + info.end + " but the file holds only " + (bytes.length - dataStart) + " data bytes");
            }
            tensors.put(entry.getKey(), info.toArray(bytes, dataStart));
            expectedOffset = info.end;
        }
        if (dataStart + expectedOffset != bytes.length) {
            throw new SafeTensorsException(file, (bytes.length - dataStart - expectedOffset)
                    + " unexpected bytes after the last tensor");
        }
        return new Contents(metadata, tensors);
    }

    private static Map<String, String> metadata(Path file, JsonNode node) throws SafeTensorsException {
        Map<String, String> metadata = new LinkedHashMap<>();
        if (node == null) {
            return metadata;
        }
        if (!node.isObject()) {
            throw new SafeTensorsException(file, "__metadata__ is not a JSON object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!entry.getValue().isTextual()) {
                throw new SafeTensorsException(file, "__metadata__ value '" + entry.getKey() + "' is not a string");
            }
            metadata.put(entry.getKey(), entry.getValue().asText());
        }
        return metadata;
    }

    private static byte[] padded(byte[] header) {
        int length = (header.length + 7) / 8 * 8;
        byte[] out = Arrays.copyOf(header, length);
        Arrays.fill(out, header.length, length, (byte) ' ');
        return out;
    }

    private static String dtypeName(DataType type) {
        return switch (type) {
            case FLOAT -> "F32";
            case DOUBLE -> "F64";
            default -> throw new IllegalArgumentException("cannot write dtype " + type + " (F32 and F64 only)");
        };
    }

    private static byte[] bytesOf(INDArray tensor) {
        INDArray c = tensor.dup('c');
        ByteBuffer buffer = ByteBuffer.allocate((int) (c.length() * c.dataType().width())).order(ByteOrder.LITTLE_ENDIAN);
        switch (c.dataType()) {
            case FLOAT -> buffer.asFloatBuffer().put(c.data().asFloat());
            case DOUBLE -> buffer.asDoubleBuffer().put(c.data().asDouble());
            default -> throw new IllegalArgumentException("cannot write dtype " + c.dataType() + " (F32 and F64 only)");
        }
        return buffer.array();
    }

    /** One header entry, validated. */
    private record TensorInfo(String name, DataType type, long[] shape, long begin, long end) {

        static TensorInfo parse(Path file, String name, JsonNode node) throws SafeTensorsException {
            if (!node.isObject() || !node.path("dtype").isTextual() || !node.path("shape").isArray()
                    || !node.path("data_offsets").isArray() || node.path("data_offsets").size() != 2) {
                throw new SafeTensorsException(file, "tensor '" + name + "' needs dtype, shape and two data_offsets");
            }
            DataType type = switch (node.get("dtype").asText()) {
                case "F32" -> DataType.FLOAT;
                case "F64" -> DataType.DOUBLE;
                default -> throw new SafeTensorsException(file, "tensor '" + name + "' has unsupported dtype "
                        + node.get("dtype").asText() + " (F32 and F64 are read)");
            };
            long[] shape = new long[node.get("shape").size()];
            long count = 1;
            for (int i = 0; i < shape.length; i++) {
                JsonNode dim = node.get("shape").get(i);
                if (!dim.canConvertToLong() || dim.asLong() < 0) {
                    throw new SafeTensorsException(file, "tensor '" + name + "' has a bad shape " + node.get("shape"));
                }
                shape[i] = dim.asLong();
                count = Math.multiplyExact(count, shape[i]);
            }
            long begin = node.get("data_offsets").get(0).asLong(-1);
            long end = node.get("data_offsets").get(1).asLong(-1);
            if (begin < 0 || end - begin != count * type.width()) {
                throw new SafeTensorsException(file, "tensor '" + name + "' has data_offsets [" + begin + ", " + end
                        + "] that do not hold " + count + " " + node.get("dtype").asText() + " values");
            }
            return new TensorInfo(name, type, shape, begin, end);
        }

        INDArray toArray(byte[] bytes, int dataStart) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes, dataStart + (int) begin, (int) (end - begin))
                    .slice().order(ByteOrder.LITTLE_ENDIAN);
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
}
