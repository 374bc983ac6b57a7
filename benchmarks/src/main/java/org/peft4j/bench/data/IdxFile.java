package org.peft4j.bench.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.OptionalLong;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads an IDX file of unsigned bytes (the MNIST / Fashion-MNIST format), plain or gzipped (the
 * gzip magic bytes decide, not the file name). Layout: two zero bytes, type {@code 0x08}
 * (unsigned byte), the number of dimensions, then each dimension as a big-endian int32, then
 * the data in row-major order. Images are {@code [N, 28, 28]}, labels {@code [N]}.
 *
 * @param dims the dimensions
 * @param data the elements, row-major
 */
public record IdxFile(int[] dims, byte[] data) {

    private static final int UNSIGNED_BYTE = 0x08;

    public IdxFile {
        dims = dims.clone();
    }

    /**
     * Reads {@code file}; fails naming the file when it is missing, truncated, corrupt or not IDX. The size the
     * header claims is checked against the file's size before any memory is set aside for the data.
     */
    public static IdxFile read(Path file) throws DataFileException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file, OptionalLong.of(Files.size(file)));
        } catch (NoSuchFileException e) {
            throw new DataFileException(file, "no such file", e);
        } catch (DataFileException e) {
            throw e;
        } catch (IOException e) {
            throw new DataFileException(file, "cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * Reads an IDX stream; {@code source} names it in errors. The stream is not closed. Memory grows with the
     * data actually read, never with the size the header claims.
     */
    public static IdxFile read(InputStream raw, Path source) throws DataFileException {
        return read(raw, source, OptionalLong.empty());
    }

    /** As {@link #read(InputStream, Path)}, checking a plain file's claimed size against {@code fileBytes}. */
    private static IdxFile read(InputStream raw, Path source, OptionalLong fileBytes) throws DataFileException {
        try {
            BufferedInputStream buffered = new BufferedInputStream(raw);
            buffered.mark(2);
            int b0 = buffered.read();
            int b1 = buffered.read();
            buffered.reset();
            boolean gzip = b0 == 0x1f && b1 == 0x8b;
            DataInputStream in = new DataInputStream(gzip ? new GZIPInputStream(buffered, 1 << 16) : buffered);
            int zero = in.readUnsignedShort();
            int type = in.readUnsignedByte();
            int rank = in.readUnsignedByte();
            if (zero != 0) {
                throw new DataFileException(source, "not an IDX file (magic starts " + String.format("0x%04x", zero)
                        + ", expected 0x0000)");
            }
            if (type != UNSIGNED_BYTE) {
                throw new DataFileException(source, String.format("IDX element type 0x%02x is not supported "
                        + "(only 0x08, unsigned byte)", type));
            }
            if (rank < 1 || rank > 4) {
                throw new DataFileException(source, "IDX file has " + rank + " dimensions (1 to 4 are read)");
            }
            int[] dims = new int[rank];
            for (int i = 0; i < rank; i++) {
                dims[i] = in.readInt();
                if (dims[i] < 1) {
                    throw new DataFileException(source, "IDX dimension " + i + " is " + dims[i]);
                }
            }
            long size = dataBytes(dims, source);
            long headerBytes = 4L + 4L * rank;
            if (!gzip && fileBytes.isPresent() && fileBytes.getAsLong() - headerBytes < size) {
                throw new DataFileException(source, "truncated or corrupt header: shape " + Arrays.toString(dims)
                        + " needs " + size + " data bytes, the file has " + (fileBytes.getAsLong() - headerBytes));
            }
            byte[] data = in.readNBytes((int) size);
            if (data.length < size) {
                throw new DataFileException(source, "truncated: shape " + Arrays.toString(dims) + " needs " + size
                        + " data bytes, the file has " + data.length);
            }
            if (in.read() >= 0) {
                throw new DataFileException(source, "has bytes after the " + size + " data bytes of shape "
                        + Arrays.toString(dims) + " (corrupt or not this format)");
            }
            return new IdxFile(dims, data);
        } catch (EOFException e) {
            throw new DataFileException(source, "truncated (ends inside the IDX header or the gzip stream)", e);
        } catch (ZipException e) {
            throw new DataFileException(source, "corrupt gzip data: " + e.getMessage(), e);
        } catch (DataFileException e) {
            throw e;
        } catch (IOException e) {
            throw new DataFileException(source, "cannot read: " + e.getMessage(), e);
        }
    }

    /** The product of {@code dims}, refused when it overflows or exceeds what one Java array holds. */
    private static long dataBytes(int[] dims, Path source) throws DataFileException {
        try {
            long size = 1;
            for (int dim : dims) {
                size = Math.multiplyExact(size, dim);
            }
            if (size <= Integer.MAX_VALUE - 16) {
                return size;
            }
        } catch (ArithmeticException e) {
            // reported below
        }
        throw new DataFileException(source, "IDX data of shape " + Arrays.toString(dims) + " is too large to read "
                + "(more than 2 GiB; corrupt header?)");
    }

    /** Number of leading-axis rows. */
    public int rows() {
        return dims[0];
    }

    @Override
    public String toString() {
        return "IdxFile" + Arrays.toString(dims);
    }
}
