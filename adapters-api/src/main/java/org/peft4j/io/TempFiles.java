package org.peft4j.io;

import com.google.common.base.Utf8;
import com.google.common.hash.Hashing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The temporary files of {@link AtomicFiles}: named {@code .<stem>~<pid>-<random>.tmp} next to
 * the target, where {@code <stem>} is the target's file name (or, for a name longer than
 * {@value #MAX_STEM_BYTES} UTF-8 bytes, its first characters and a hash of the whole name, so the
 * temporary name stays short enough for any name the file system accepts) and {@code <pid>} is
 * the writing process. A temporary file whose process is gone (e.g. killed with {@code kill -9}
 * mid-write) is stale; the next write of the same target removes it.
 */
final class TempFiles {

    static final int MAX_STEM_BYTES = 120;
    private static final int SHORT_STEM_BYTES = 100;
    private static final Pattern OWNER = Pattern.compile("(\\d{1,19})-[0-9a-f]{8}");

    private TempFiles() {
    }

    /** A new, empty temporary file for {@code target}, created with the default permissions (umask). */
    static Path create(Path target) throws IOException {
        Path folder = target.getParent();
        String prefix = prefix(target);
        while (true) {
            String random = String.format("%08x", ThreadLocalRandom.current().nextInt());
            Path temp = folder.resolve(prefix + ProcessHandle.current().pid() + "-" + random + ".tmp");
            try {
                return Files.createFile(temp);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // another writer drew the same random name: draw again
            }
        }
    }

    /** Removes the temporary files of {@code target} whose writing process no longer runs. */
    static void removeStale(Path target) throws IOException {
        String prefix = prefix(target);
        try (DirectoryStream<Path> siblings = Files.newDirectoryStream(target.getParent(),
                path -> isStale(path.getFileName().toString(), prefix))) {
            for (Path stale : siblings) {
                Files.deleteIfExists(stale);
            }
        }
    }

    private static boolean isStale(String name, String prefix) {
        if (!name.startsWith(prefix) || !name.endsWith(".tmp")) {
            return false;
        }
        Matcher owner = OWNER.matcher(name.substring(prefix.length(), name.length() - ".tmp".length()));
        if (!owner.matches()) {
            return false;
        }
        long pid;
        try {
            pid = Long.parseLong(owner.group(1));
        } catch (NumberFormatException e) {
            return false;
        }
        return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
    }

    /** {@code .<stem>~}: what every temporary file of {@code target} starts with. */
    static String prefix(Path target) {
        return "." + stem(target.getFileName().toString()) + "~";
    }

    private static String stem(String name) {
        if (Utf8.encodedLength(name) <= MAX_STEM_BYTES) {
            return name;
        }
        StringBuilder head = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < name.length();) {
            int codePoint = name.codePointAt(i);
            int width = Utf8.encodedLength(new String(Character.toChars(codePoint)));
            if (bytes + width > SHORT_STEM_BYTES) {
                break;
            }
            head.appendCodePoint(codePoint);
            bytes += width;
            i += Character.charCount(codePoint);
        }
        String hash = Hashing.sha256().hashString(name, StandardCharsets.UTF_8).toString().substring(0, 12);
        return head + "-" + hash;
    }
}
