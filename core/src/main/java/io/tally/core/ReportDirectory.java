package io.tally.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The {@code --out} folder, changed a whole report set at a time. {@code --out} is a symbolic link to a
 * complete set folder in a hidden sibling, {@code .NAME.tally/}; a new set is written into a folder of its
 * own there and {@code --out} is re-pointed with one atomic rename. A reader sees the old set or the new one,
 * never a mix, whenever the writer is stopped, {@code kill -9} included. Each publish keeps the set it
 * replaced (a reader may be in the middle of it) and removes everything older, including what a killed run
 * left behind.
 *
 * <p>A first run over a plain folder that holds only Tally's reports moves that folder into the sibling
 * and links to it; a folder holding anything else is refused, so Tally never deletes a file it did not write.
 */
public final class ReportDirectory {
    private static final String LOCK = ".lock";
    private static final String LINKING = ".linking";
    /** Beside a set ({@code NAME.complete}) once all its files are complete: only such a set is restored. */
    static final String COMPLETE = ".complete";
    /** How {@link #publish} and the adoption of a plain folder name a set: nothing else there is removed. */
    private static final Pattern SET_NAME = Pattern.compile("[A-Za-z0-9_-]{1,40}-[0-9a-f]{8}");

    private final Path out;
    private final Path sets;

    private ReportDirectory(Path out) {
        this.out = out;
        this.sets = out.resolveSibling("." + out.getFileName() + ".tally");
    }

    /** The report folder {@code out}, as given on the command line. */
    public static ReportDirectory of(Path out) {
        Path abs = out.toAbsolutePath().normalize();
        if (abs.getFileName() == null || abs.getParent() == null) {
            throw new OutputFolderException(out + ": cannot be the report folder (give a folder below /)");
        }
        return new ReportDirectory(abs);
    }

    /** Where the sets live: the hidden sibling of {@code out}. */
    public Path sets() {
        return sets;
    }

    /**
     * Checks, before any work, that the reports can go to {@code out}: it is absent, a link this class made,
     * or a folder holding only Tally's reports, and its parent can be written.
     *
     * @throws OutputFolderException naming the path and the reason
     */
    public void check() {
        Path parent = out.getParent();
        if (Files.exists(parent) && !Files.isDirectory(parent)) {
            throw new OutputFolderException(out + ": cannot be created: " + parent + " is a file, not a folder");
        }
        if (Files.isSymbolicLink(out)) {
            if (!isOurLink()) {
                throw new OutputFolderException(
                        out + ": is a link to somewhere Tally did not write; give --out a " + "folder of its own");
            }
            // What the user saved beside the reports sits in the current set, which a later run removes.
            Path current = out.getParent().resolve(readLink()).normalize();
            if (Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) {
                refuseForeign(current);
            }
        } else if (Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.isDirectory(out, LinkOption.NOFOLLOW_LINKS)) {
                throw new OutputFolderException(out + ": is a file, not a folder");
            }
            refuseForeign(out);
        }
        Path existing = Files.exists(parent) ? parent : nearestExisting(parent);
        if (!Files.isWritable(existing)) {
            throw new OutputFolderException(out + ": cannot be written: " + existing + " is not writable");
        }
    }

    private void refuseForeign(Path folder) {
        List<String> foreign = foreignFiles(folder);
        if (!foreign.isEmpty()) {
            throw new OutputFolderException(
                    out + ": holds files Tally did not write ("
                            + String.join(", ", foreign.subList(0, Math.min(3, foreign.size())))
                            + (foreign.size() > 3 ? ", ..." : "")
                            + "); move them out of it or give --out a folder of its own, since Tally replaces its whole content");
        }
    }

    private Path readLink() {
        try {
            return Files.readSymbolicLink(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the link " + out, e);
        }
    }

    /**
     * Refuses inputs that live in the report folder: the reports would replace them.
     *
     * @throws OutputFolderException naming the input
     */
    public void refuseInputsInside(List<Path> inputs) {
        for (Path in : inputs) {
            Path real;
            try {
                real = in.toRealPath();
            } catch (IOException e) {
                continue; // reading it will say what is wrong
            }
            for (Path dir : List.of(out, sets)) {
                Path realDir;
                try {
                    realDir = dir.toRealPath();
                } catch (IOException e) {
                    continue;
                }
                if (real.startsWith(realDir)) {
                    throw new OutputFolderException(in + ": is inside the report folder " + out
                            + ", and the reports would replace it; give --out another folder");
                }
            }
        }
    }

    /** Writes the files of one report set into a folder it is given. */
    @FunctionalInterface
    public interface SetWriter<T> {
        T write(Path folder) throws IOException;
    }

    /**
     * Writes a new set with {@code writer} and makes it the content of {@code out} in one atomic step. If
     * the writer fails, {@code out} is unchanged and the partial set is removed.
     */
    public <T> T publish(String runId, SetWriter<T> writer) throws IOException {
        check();
        Files.createDirectories(sets);
        try (FileChannel lockFile =
                        FileChannel.open(sets.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = lockFile.lock()) {
            String name = safe(runId) + "-" + UUID.randomUUID().toString().substring(0, 8);
            Path set = sets.resolve(name);
            Files.createDirectory(set);
            T result;
            try {
                result = writer.write(set);
                Files.createFile(sets.resolve(name + COMPLETE));
            } catch (IOException | RuntimeException | Error e) {
                deleteTree(set);
                throw e;
            }
            Path previous = currentSet();
            adoptPlainFolder();
            link(set);
            removeAllBut(Set.of(
                    set.getFileName().toString(),
                    previous == null ? "" : previous.getFileName().toString()));
            return result;
        }
    }

    /**
     * Repairs what killed runs left. When {@code out} is missing (a run was killed while it moved an old plain
     * folder aside), it is pointed at the newest complete set; then every set but the current one is removed.
     */
    public void cleanStale() throws IOException {
        if (!Files.isDirectory(sets)) {
            return;
        }
        try (FileChannel lockFile =
                        FileChannel.open(sets.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = lockFile.tryLock()) {
            if (lock == null) {
                return; // another run is publishing here; it cleans up after itself
            }
            if (!Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
                Path newest = newestCompleteSet();
                if (newest != null) {
                    link(newest);
                }
            }
            Path current = currentSet();
            removeAllBut(Set.of(current == null ? "" : current.getFileName().toString()));
        }
    }

    private Path newestCompleteSet() throws IOException {
        Path newest = null;
        FileTime newestTime = null;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(sets)) {
            for (Path p : entries) {
                Path marker = sets.resolve(p.getFileName() + COMPLETE);
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && Files.exists(marker)) {
                    FileTime t = Files.getLastModifiedTime(marker);
                    if (newestTime == null || t.compareTo(newestTime) > 0) {
                        newest = p;
                        newestTime = t;
                    }
                }
            }
        }
        return newest;
    }

    /** Points {@code out} at {@code set} in one atomic rename. */
    private void link(Path set) throws IOException {
        Path link = sets.resolve(LINKING);
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, out.getParent().relativize(set));
        try {
            Files.move(link, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new OutputFolderException(out + ": this file system cannot replace a link atomically");
        }
    }

    private boolean isOurLink() {
        try {
            Path target = out.getParent().resolve(Files.readSymbolicLink(out)).normalize();
            return target.getParent() != null && target.getParent().equals(sets);
        } catch (IOException e) {
            return false;
        }
    }

    /** The set {@code out} points at, or null. */
    private Path currentSet() throws IOException {
        if (!Files.isSymbolicLink(out)) {
            return null;
        }
        return out.getParent().resolve(Files.readSymbolicLink(out)).normalize();
    }

    /** A plain folder of Tally's reports (from before sets, or made by hand) becomes a set, then a link. */
    private void adoptPlainFolder() throws IOException {
        if (!Files.isDirectory(out, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<String> foreign = foreignFiles(out);
        if (!foreign.isEmpty()) {
            throw new OutputFolderException(out + ": holds files Tally did not write (" + foreign.get(0) + ")");
        }
        // A run killed between this move and the link finds out missing; the next start links the newest
        // complete set back (the new one, marked complete before this).
        try {
            Files.move(
                    out,
                    sets.resolve("adopted-" + UUID.randomUUID().toString().substring(0, 8)),
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("cannot move " + out + " aside", e);
        }
    }

    /**
     * Entries of a report folder or set that are not Tally's: its reports (plain files) and an older Tally's
     * staging leftovers ({@code .tally-*}) are, anything else (a file or folder of the user's) is not.
     */
    private static List<String> foreignFiles(Path dir) {
        List<String> foreign = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                if (!isTallys(p)) {
                    foreign.add(p.getFileName().toString());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        foreign.sort(Comparator.naturalOrder());
        return foreign;
    }

    private static boolean isTallys(Path entry) {
        String name = entry.getFileName().toString();
        return name.startsWith(".tally-")
                || ReportWriter.FILES.contains(name) && Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Removes the sets not in {@code keep} and their markers. Only what Tally wrote goes: an entry of the sets
     * folder that is not named as Tally names sets is left, and so is a set holding anything but Tally's files
     * (a user wrote into {@code out} while a run was publishing); its files are deleted by name and its folder
     * only if it is empty then, so a file that arrives meanwhile stays too.
     */
    private void removeAllBut(Set<String> keep) throws IOException {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> list = Files.newDirectoryStream(sets)) {
            list.forEach(entries::add);
        }
        for (Path p : entries) {
            String name = p.getFileName().toString();
            if (SET_NAME.matcher(name).matches()
                    && !keep.contains(name)
                    && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
                    && foreignFiles(p).isEmpty()) {
                removeSet(p);
            }
        }
        for (Path p : entries) {
            String name = p.getFileName().toString();
            if (name.equals(LINKING) && Files.isSymbolicLink(p)) {
                Files.deleteIfExists(p); // a killed run's link, never renamed into place
            } else if (name.endsWith(COMPLETE) && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                String set = name.substring(0, name.length() - COMPLETE.length());
                if (SET_NAME.matcher(set).matches()
                        && !keep.contains(set)
                        && !Files.exists(sets.resolve(set), LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static void removeSet(Path set) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(set)) {
            for (Path f : files) {
                if (isTallys(f)) {
                    deleteTree(f);
                }
            }
        }
        try {
            Files.delete(set);
        } catch (DirectoryNotEmptyException e) {
            // something not Tally's arrived while its files went: the folder stays with it
        }
    }

    private static Path nearestExisting(Path p) {
        Path at = p;
        while (at != null && !Files.exists(at)) {
            at = at.getParent();
        }
        return at == null ? p : at;
    }

    private static String safe(String runId) {
        String s = runId.replaceAll("[^A-Za-z0-9_-]", "_");
        return s.isEmpty() ? "run" : s.substring(0, Math.min(40, s.length()));
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isSymbolicLink(dir) || !Files.isDirectory(dir)) {
            Files.deleteIfExists(dir);
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
