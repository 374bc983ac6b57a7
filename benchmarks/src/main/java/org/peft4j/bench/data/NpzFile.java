package org.peft4j.bench.data;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads NumPy {@code .npz} archives ({@code np.savez} and {@code np.savez_compressed}), such as
 * the MedMNIST files, one entry at a time and optionally a range of leading-axis rows, so a large
 * file need not fit in memory. Every header is validated; a truncated or corrupt file fails with a
 * {@link DataFileException} naming the file and the entry.
 *
 * <pre>{@code
 * try (NpzFile npz = NpzFile.open(Path.of("octmnist.npz"))) {
 *     long[] shape = npz.shape("train_images");          // [97477, 28, 28]
 *     NpyArray first = npz.readRows("train_images", 0, 64);
 * }
 * }</pre>
 */
public final class NpzFile implements AutoCloseable {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private final Path path;
    private final ZipFile zip;

    private NpzFile(Path path, ZipFile zip) {
        this.path = path;
        this.zip = zip;
    }

    /** Opens {@code path}; fails clearly when it is missing or not a zip archive. */
    public static NpzFile open(Path path) throws DataFileException {
        try {
            return new NpzFile(path, new ZipFile(path.toFile()));
        } catch (ZipException e) {
            throw new DataFileException(path, "not an .npz (zip) archive or truncated: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new DataFileException(path, "cannot open: " + e.getMessage(), e);
        }
    }

    /** The array names in the archive (entry names without {@code .npy}). */
    public List<String> keys() {
        List<String> keys = new ArrayList<>();
        zip.stream().map(ZipEntry::getName).filter(n -> n.endsWith(".npy"))
                .forEach(n -> keys.add(n.substring(0, n.length() - 4)));
        return keys;
    }

    /** The element type of array {@code key}. */
    public NpyType dtype(String key) throws DataFileException {
        return header(key).dtype;
    }

    /** The full shape of array {@code key}, read from its header only. */
    public long[] shape(String key) throws DataFileException {
        return header(key).shape.clone();
    }

    /** The whole array {@code key}. */
    public NpyArray read(String key) throws DataFileException {
        long[] shape = shape(key);
        return readRows(key, 0, shape.length == 0 ? 1 : shape[0]);
    }

    /**
     * Rows {@code [start, start + count)} of array {@code key} along its first axis.
     *
     * @throws DataFileException when the range is outside the array or the entry is truncated
     */
    public NpyArray readRows(String key, long start, long count) throws DataFileException {
        ZipEntry entry = entry(key);
        try (InputStream in = zip.getInputStream(entry)) {
            DataInputStream data = new DataInputStream(in);
            Header header = header(key, data, entry.getSize());
            long rows = header.shape.length == 0 ? 1 : header.shape[0];
            if (start < 0 || count < 0 || start + count > rows) {
                throw new DataFileException(path, key + ": rows [" + start + ", " + (start + count)
                        + ") are outside its " + rows + " rows");
            }
            if (header.fortranOrder && header.shape.length > 1) {
                throw new DataFileException(path, key + ": Fortran-ordered arrays are not supported");
            }
            long rowBytes = header.dtype.width();
            for (int i = 1; i < header.shape.length; i++) {
                rowBytes = Math.multiplyExact(rowBytes, header.shape[i]);
            }
            long bytes = Math.multiplyExact(rowBytes, count);
            if (bytes > Integer.MAX_VALUE - 16) {
                throw new DataFileException(path, key + ": " + bytes + " bytes are too many to read at once; read fewer rows");
            }
            data.skipNBytes(Math.multiplyExact(rowBytes, start));
            byte[] buffer = data.readNBytes((int) bytes);
            if (buffer.length < bytes) {
                throw new EOFException();
            }
            long[] shape = header.shape.length == 0 ? new long[0] : header.shape.clone();
            if (shape.length > 0) {
                shape[0] = count;
            }
            return new NpyArray(path.getFileName() + ":" + key, header.dtype, shape,
                    ByteBuffer.wrap(buffer).order(header.dtype.order()));
        } catch (EOFException e) {
            throw new DataFileException(path, key + ": truncated (the data ends before the shape says)", e);
        } catch (DataFileException e) {
            throw e;
        } catch (IOException e) {
            throw failure(key, e);
        }
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }

    private ZipEntry entry(String key) throws DataFileException {
        ZipEntry entry = zip.getEntry(key + ".npy");
        if (entry == null) {
            throw new DataFileException(path, "has no array '" + key + "' (it has " + keys() + ")");
        }
        return entry;
    }

    private DataFileException failure(String key, IOException e) {
        return e instanceof DataFileException d ? d
                : new DataFileException(path, key + ": corrupt or truncated: " + e.getMessage(), e);
    }

    private record Header(NpyType dtype, boolean fortranOrder, long[] shape) {
    }

    private Header header(String key) throws DataFileException {
        ZipEntry entry = entry(key);
        try (InputStream in = zip.getInputStream(entry)) {
            return header(key, new DataInputStream(in), entry.getSize());
        } catch (IOException e) {
            throw failure(key, e);
        }
    }

    /**
     * Reads and checks the header of entry {@code key}: the bytes its shape and dtype claim must fit in the
     * entry's {@code entryBytes} (when the archive records them), so a corrupt or hostile header fails here,
     * before anything is allocated for the data.
     */
    private Header header(String key, DataInputStream in, long entryBytes) throws IOException {
        byte[] magic = new byte[8];
        in.readFully(magic);
        if (!Arrays.equals(Arrays.copyOf(magic, 6), MAGIC)) {
            throw new DataFileException(path, key + ": not a .npy array (bad magic bytes)");
        }
        int major = magic[6];
        byte[] lengthBytes = new byte[major == 1 ? 2 : 4];
        in.readFully(lengthBytes);
        ByteBuffer length = ByteBuffer.wrap(lengthBytes).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = major == 1 ? Short.toUnsignedInt(length.getShort()) : length.getInt();
        if (headerLength < 0 || headerLength > 1 << 20) {
            throw new DataFileException(path, key + ": bad .npy header length " + headerLength);
        }
        byte[] text = new byte[headerLength];
        in.readFully(text);
        String dict = new String(text, major >= 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher descr = DESCR.matcher(dict);
        Matcher fortran = FORTRAN.matcher(dict);
        Matcher shape = SHAPE.matcher(dict);
        if (!descr.find() || !fortran.find() || !shape.find()) {
            throw new DataFileException(path, key + ": unreadable .npy header " + dict.trim());
        }
        NpyType dtype;
        try {
            dtype = NpyType.parse(descr.group(1));
        } catch (IllegalArgumentException e) {
            throw new DataFileException(path, key + ": " + e.getMessage(), e);
        }
        long[] dims = dimensions(key, shape.group(1));
        long dataStart = magic.length + lengthBytes.length + headerLength;
        long claimed = claimedBytes(key, dtype, dims);
        if (entryBytes >= 0 && claimed > entryBytes - dataStart) {
            throw new DataFileException(path, key + ": the .npy header claims shape " + Arrays.toString(dims) + " of "
                    + dtype + ", " + claimed + " bytes, but the entry holds only " + (entryBytes - dataStart)
                    + " bytes of data (truncated, or a corrupt header)");
        }
        return new Header(dtype, fortran.group(1).equals("True"), dims);
    }

    /** The shape tuple's text, e.g. {@code 97477, 28, 28}, as numbers; fails naming the key when it is not. */
    private long[] dimensions(String key, String tuple) throws DataFileException {
        List<Long> parsed = new ArrayList<>();
        for (String dim : tuple.split(",")) {
            if (dim.isBlank()) {
                continue;
            }
            try {
                parsed.add(Long.parseLong(dim.trim()));
            } catch (NumberFormatException e) {
                throw new DataFileException(path, key + ": the .npy header's shape (" + tuple.trim()
                        + ") is not a tuple of whole numbers ('" + dim.trim() + "')", e);
            }
            if (parsed.get(parsed.size() - 1) < 0) {
                throw new DataFileException(path, key + ": the .npy header's shape (" + tuple.trim()
                        + ") has a negative dimension");
            }
        }
        return parsed.stream().mapToLong(Long::longValue).toArray();
    }

    /** Elements times element width, refused when it overflows. */
    private long claimedBytes(String key, NpyType dtype, long[] dims) throws DataFileException {
        try {
            long bytes = dtype.width();
            for (long dim : dims) {
                bytes = Math.multiplyExact(bytes, dim);
            }
            return bytes;
        } catch (ArithmeticException e) {
            throw new DataFileException(path, key + ": the .npy header's shape " + Arrays.toString(dims)
                    + " overflows a 64-bit byte count (corrupt header)", e);
        }
    }
}
