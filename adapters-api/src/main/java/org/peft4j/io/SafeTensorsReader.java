package org.peft4j.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Reads a safetensors file in bounded steps: the 8-byte header length is checked against the
 * file's size, then the header alone is read and every tensor's offsets are checked against the
 * data section, and only then are tensors read, one at a time. A file that is too large, too
 * short or not a safetensors file at all is refused before anything sized by its content is
 * allocated.
 */
final class SafeTensorsReader {

    /** The largest header read (Hugging Face's reader has the same limit). */
    static final long MAX_HEADER = 100L * 1024 * 1024;
    static final String METADATA = "__metadata__";
    private static final ObjectMapper JSON = new ObjectMapper();

    private SafeTensorsReader() {
    }

    /**
     * A validated header.
     *
     * @param metadata  the {@code __metadata__} string map
     * @param entries   the tensors, in file order, contiguous from data byte 0
     * @param dataStart the file offset of the data section
     */
    record Header(Map<String, String> metadata, List<TensorEntry> entries, long dataStart) {
    }

    /** Reads and validates the header of {@code file}, without reading any tensor. */
    static Header readHeader(Path file) throws IOException {
        try (FileChannel channel = open(file)) {
            return readHeader(file, channel);
        }
    }

    /** Reads the tensors that {@code header} (read from this {@code file}) describes. */
    static Map<String, INDArray> readTensors(Path file, Header header) throws IOException {
        try (FileChannel channel = open(file)) {
            long expectedSize = header.dataStart() + (header.entries().isEmpty() ? 0
                    : header.entries().get(header.entries().size() - 1).end());
            if (channel.size() != expectedSize) {
                throw new SafeTensorsException(file, "changed while being read (" + channel.size()
                        + " bytes, the header describes " + expectedSize + ")");
            }
            Map<String, INDArray> tensors = new LinkedHashMap<>();
            for (TensorEntry entry : header.entries()) {
                tensors.put(entry.name(), entry.read(file, channel, header.dataStart()));
            }
            return tensors;
        }
    }

    private static FileChannel open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new SafeTensorsException(file, "no such file");
        }
        return FileChannel.open(file, StandardOpenOption.READ);
    }

    private static Header readHeader(Path file, FileChannel channel) throws IOException {
        long size = channel.size();
        if (size < 8) {
            throw new SafeTensorsException(file, "truncated: " + size + " bytes, too short for a header");
        }
        long headerLength = bytesAt(file, channel, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLength <= 0 || headerLength > MAX_HEADER || headerLength > size - 8) {
            throw new SafeTensorsException(file, "header length " + headerLength + " does not fit the file's "
                    + size + " bytes (truncated or not a safetensors file)");
        }
        if (bytesAt(file, channel, 8, 1).get() != '{') {
            throw new SafeTensorsException(file, "header is not a JSON object (it does not start with '{'):"
                    + " not a safetensors file");
        }
        JsonNode header = parse(file, bytesAt(file, channel, 8, (int) headerLength));
        long dataStart = 8 + headerLength;
        long dataBytes = size - dataStart;
        Map<String, String> metadata = metadata(file, header.get(METADATA));
        List<TensorEntry> entries = new ArrayList<>();
        long expectedOffset = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().equals(METADATA)) {
                continue;
            }
            TensorEntry entry = TensorEntry.parse(file, field.getKey(), field.getValue(), dataBytes);
            if (entry.begin() != expectedOffset) {
                throw new SafeTensorsException(file, "tensor '" + entry.name() + "' starts at byte " + entry.begin()
                        + " of the data, expected " + expectedOffset + " (tensors must be contiguous, in order)");
            }
            entries.add(entry);
            expectedOffset = entry.end();
        }
        if (expectedOffset != dataBytes) {
            throw new SafeTensorsException(file, (dataBytes - expectedOffset)
                    + " unexpected bytes after the last tensor");
        }
        return new Header(metadata, entries, dataStart);
    }

    private static JsonNode parse(Path file, ByteBuffer headerBytes) throws SafeTensorsException {
        JsonNode header;
        try {
            header = JSON.readTree(new String(headerBytes.array(), StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new SafeTensorsException(file, "header is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (header == null || !header.isObject()) {
            throw new SafeTensorsException(file, "header is not a JSON object");
        }
        return header;
    }

    private static Map<String, String> metadata(Path file, JsonNode node) throws SafeTensorsException {
        Map<String, String> metadata = new LinkedHashMap<>();
        if (node == null) {
            return metadata;
        }
        if (!node.isObject()) {
            throw new SafeTensorsException(file, METADATA + " is not a JSON object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!entry.getValue().isTextual()) {
                throw new SafeTensorsException(file, METADATA + " value '" + entry.getKey() + "' is not a string");
            }
            metadata.put(entry.getKey(), entry.getValue().asText());
        }
        return metadata;
    }

    /** Reads {@code length} bytes of {@code file} from {@code position}, flipped for reading. */
    static ByteBuffer bytesAt(Path file, FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        long at = position;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, at);
            if (read < 0) {
                throw new SafeTensorsException(file, "truncated: the file ends at byte " + at);
            }
            at += read;
        }
        buffer.flip();
        return buffer;
    }
}
