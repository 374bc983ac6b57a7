package org.peft4j.bench.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The NumPy element types the readers accept: {@code descr} strings such as {@code |u1},
 * {@code <i8}, {@code <f4}, {@code >f8}.
 *
 * @param kind  'u' unsigned, 'i' signed, 'f' float, 'b' bool
 * @param width bytes per element
 * @param order the byte order
 */
public record NpyType(char kind, int width, ByteOrder order) {

    /** Parses a NumPy {@code descr}, or fails naming it. */
    public static NpyType parse(String descr) {
        if (descr.length() < 3) {
            throw new IllegalArgumentException("unsupported dtype '" + descr + "'");
        }
        char byteOrder = descr.charAt(0);
        char kind = descr.charAt(1);
        int width;
        try {
            width = Integer.parseInt(descr.substring(2));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("unsupported dtype '" + descr + "'", e);
        }
        boolean ok = switch (kind) {
            case 'u', 'i' -> width == 1 || width == 2 || width == 4 || width == 8;
            case 'f' -> width == 4 || width == 8;
            case 'b' -> width == 1;
            default -> false;
        };
        if (!ok || "<>|=".indexOf(byteOrder) < 0) {
            throw new IllegalArgumentException("unsupported dtype '" + descr
                    + "' (integers, bool, float32 and float64 are read)");
        }
        return new NpyType(kind, width, byteOrder == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    }

    /** True for integer and bool types. */
    public boolean isInteger() {
        return kind != 'f';
    }

    double read(ByteBuffer data, int offset) {
        return switch (kind) {
            case 'f' -> width == 4 ? data.getFloat(offset) : data.getDouble(offset);
            case 'b' -> data.get(offset) == 0 ? 0 : 1;
            case 'u' -> switch (width) {
                case 1 -> Byte.toUnsignedInt(data.get(offset));
                case 2 -> Short.toUnsignedInt(data.getShort(offset));
                case 4 -> Integer.toUnsignedLong(data.getInt(offset));
                default -> data.getLong(offset);
            };
            default -> switch (width) {
                case 1 -> data.get(offset);
                case 2 -> data.getShort(offset);
                case 4 -> data.getInt(offset);
                default -> data.getLong(offset);
            };
        };
    }

    @Override
    public String toString() {
        return (order == ByteOrder.BIG_ENDIAN ? ">" : "<") + kind + width;
    }
}
