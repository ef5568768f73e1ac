package io.tally.core;

import java.nio.file.Path;

/** A process that makes a locked scratch folder, says where, and waits to be killed ({@link FolderLockTest}). */
final class ScratchOwner {
    private ScratchOwner() {}

    public static void main(String[] args) throws Exception {
        FolderLock.Scratch scratch = FolderLock.scratch(Path.of(args[0]), args[1]);
        System.out.println(scratch.path());
        System.out.flush();
        Thread.sleep(600_000);
    }
}
