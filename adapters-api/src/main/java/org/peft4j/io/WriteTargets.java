package org.peft4j.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where {@link AtomicFiles} writes: the target itself, or, when the target is a symbolic link,
 * the file the link points to (followed through any chain of links, created if it does not
 * exist yet), so the link is kept. Failures name the target the caller asked for.
 */
final class WriteTargets {

    private static final int MAX_LINKS = 40;

    private WriteTargets() {
    }

    /** The absolute path of the regular file to replace for {@code target}. */
    static Path resolve(Path target) throws IOException {
        Path current = target.toAbsolutePath();
        for (int links = 0; Files.isSymbolicLink(current); links++) {
            if (links == MAX_LINKS) {
                throw new IOException("cannot write " + target + ": more than " + MAX_LINKS
                        + " symbolic links to follow (a loop?)");
            }
            current = current.resolveSibling(Files.readSymbolicLink(current));
        }
        if (Files.isDirectory(current)) {
            throw new IOException("cannot write " + target + ": " + current + " is a folder");
        }
        return current;
    }

    /** Creates {@code folder}, the folder of {@code target}, with its parents. */
    static void createFolder(Path target, Path folder) throws IOException {
        try {
            Files.createDirectories(folder);
        } catch (FileSystemException e) {
            for (Path ancestor = folder; ancestor != null; ancestor = ancestor.getParent()) {
                if (Files.exists(ancestor) && !Files.isDirectory(ancestor)) {
                    throw new IOException("cannot write " + target + ": " + ancestor
                            + " is a file, not a folder", e);
                }
            }
            throw failure(target, e);
        }
    }

    /** The failure {@code e} of the file system, as an error naming {@code target}. */
    static IOException failure(Path target, FileSystemException e) {
        String reason = e instanceof AccessDeniedException ? "permission denied on " + e.getFile()
                : e.getReason() != null ? e.getReason() : e.getClass().getSimpleName() + " on " + e.getFile();
        return new IOException("cannot write " + target + ": " + reason, e);
    }
}
