package org.peft4j.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

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
    private static final String METADATA = SafeTensorsReader.METADATA;

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

    /**
     * Reads and validates a whole file. The header length is checked against the file's size and
     * every tensor's offsets against its data section before anything sized by the file's content
     * is allocated.
     */
    public static Contents read(Path file) throws IOException {
        SafeTensorsReader.Header header = SafeTensorsReader.readHeader(file);
        return new Contents(header.metadata(), SafeTensorsReader.readTensors(file, header));
    }

    private static byte[] padded(byte[] header) {
        int length = (header.length + 7) / 8 * 8;
        byte[] out = Arrays.copyOf(header, length);
        Arrays.fill(out, header.length, length, (byte) ' ');
        return out;
    }

    /** The safetensors name of {@code type}: {@code F32} or {@code F64}. */
    static String dtypeName(DataType type) {
        return switch (type) {
            case FLOAT -> "F32";
            case DOUBLE -> "F64";
            default -> throw new IllegalArgumentException("cannot write dtype " + type + " (F32 and F64 only)");
        };
    }

    /** The little-endian bytes of {@code tensor} (F32 or F64) in row-major order. */
    static byte[] bytesOf(INDArray tensor) {
        INDArray c = tensor.dup('c');
        ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(c.length() * c.dataType().width())).order(ByteOrder.LITTLE_ENDIAN);
        switch (c.dataType()) {
            case FLOAT -> buffer.asFloatBuffer().put(c.data().asFloat());
            case DOUBLE -> buffer.asDoubleBuffer().put(c.data().asDouble());
            default -> throw new IllegalArgumentException("cannot write dtype " + c.dataType() + " (F32 and F64 only)");
        }
        return buffer.array();
    }
}
