package org.peft4j.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.util.ModelSerializer;

/**
 * Writes files so that a reader sees either the old file or the complete new one, never a
 * partial write: the bytes go to a temporary file in the same folder (see {@link TempFiles} for its
 * name), are forced to disk, and the temporary file is then moved over the target atomically.
 *
 * <p>A replaced file keeps its permissions; a new file gets the default ones (the umask). A
 * target that is a symbolic link stays a link: the file it points to is replaced. Temporary files
 * left by a process that died mid-write are removed by the next write of the same target. Failures
 * of the file system (a parent that is a file, a name that is too long) name the target.
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    /** What writes the file's bytes. */
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Atomically replaces {@code target} (or the file it links to) with what {@code body} writes. */
    public static void write(Path target, Body body) throws IOException {
        Path destination = WriteTargets.resolve(target);
        WriteTargets.createFolder(target, destination.getParent());
        Path temp = created(target, destination);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                OutputStream out = Channels.newOutputStream(channel);
                body.writeTo(out);
                out.flush();
                channel.force(true);
            }
            keepPermissions(destination, temp);
            moveOver(target, temp, destination);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Atomically writes UTF-8 text. */
    public static void writeString(Path target, String text) throws IOException {
        write(target, out -> out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /**
     * Atomically saves a DL4J network with {@link ModelSerializer}.
     *
     * @param saveUpdater true to keep the optimiser state, for resuming training
     */
    public static void writeModel(Model network, Path target, boolean saveUpdater) throws IOException {
        write(target, out -> ModelSerializer.writeModel(network, out, saveUpdater));
    }

    private static Path created(Path target, Path destination) throws IOException {
        try {
            TempFiles.removeStale(destination);
            return TempFiles.create(destination);
        } catch (FileSystemException e) {
            throw WriteTargets.failure(target, e);
        }
    }

    private static void keepPermissions(Path destination, Path temp) throws IOException {
        PosixFileAttributeView existing = Files.getFileAttributeView(destination, PosixFileAttributeView.class);
        if (existing != null && Files.isRegularFile(destination, LinkOption.NOFOLLOW_LINKS)) {
            Files.setPosixFilePermissions(temp, existing.readAttributes().permissions());
        }
    }

    private static void moveOver(Path target, Path temp, Path destination) throws IOException {
        try {
            try {
                Files.move(temp, destination, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, destination, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (FileSystemException e) {
            throw WriteTargets.failure(target, e);
        }
    }
}
