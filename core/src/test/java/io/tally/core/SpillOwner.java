package io.tally.core;

import java.nio.file.Path;

/** A process that spills, says where, and waits to be killed: the other side of {@link SpillFilesTest}. */
final class SpillOwner {
    private SpillOwner() {}

    public static void main(String[] args) throws Exception {
        Path file = SpillFiles.create();
        System.out.println(file.getParent());
        System.out.flush();
        Thread.sleep(600_000);
    }
}
