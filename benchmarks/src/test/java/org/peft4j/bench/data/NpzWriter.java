package org.peft4j.bench.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes {@code .npz} files the way NumPy does ({@code np.savez}: stored entries,
 * {@code np.savez_compressed}: deflated), for tests that need MedMNIST-layout files.
 */
public final class NpzWriter {

    private final Map<String, byte[]> entries = new LinkedHashMap<>();

    /** Adds a uint8 array. */
    public NpzWriter uint8(String key, long[] shape, byte[] values) {
        return add(key, "|u1", shape, values);
    }

    /** Adds an int64 array (MedMNIST labels: [N, 1]). */
    public NpzWriter int64(String key, long[] shape, long[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            buffer.putLong(v);
        }
        return add(key, "<i8", shape, buffer.array());
    }

    /** Adds a float32 array. */
    public NpzWriter float32(String key, long[] shape, float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            buffer.putFloat(v);
        }
        return add(key, "<f4", shape, buffer.array());
    }

    /** Adds an array with any {@code descr} and raw little-endian bytes. */
    public NpzWriter add(String key, String descr, long[] shape, byte[] data) {
        String dims = Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", "));
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': ("
                + dims + (shape.length == 1 ? "," : "") + "), }";
        int total = 10 + dict.length() + 1;
        int padded = (total + 63) / 64 * 64;
        String header = dict + " ".repeat(padded - total) + "\n";
        ByteArrayOutputStream npy = new ByteArrayOutputStream();
        npy.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        npy.writeBytes(ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) header.length()).array());
        npy.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
        npy.writeBytes(data);
        entries.put(key, npy.toByteArray());
        return this;
    }

    /** Writes the archive; {@code compressed} as {@code np.savez_compressed}. */
    public Path write(Path file, boolean compressed) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            // np.savez stores entries uncompressed; level 0 gives the same bytes without precomputed CRCs
            zip.setLevel(compressed ? Deflater.DEFAULT_COMPRESSION : Deflater.NO_COMPRESSION);
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey() + ".npy"));
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        }
        return file;
    }
}
