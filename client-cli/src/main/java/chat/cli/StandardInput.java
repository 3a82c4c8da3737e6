package chat.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What standard input is: a person at a terminal, or a pipe or file. */
final class StandardInput {
    private static final Path LINUX_STDIN = Path.of("/proc/self/fd/0");

    private StandardInput() {
    }

    /**
     * Whether a person types standard input. On Linux, from where fd 0 leads (a terminal is /dev/pts/N or /dev/ttyN),
     * which holds however stdout is redirected; elsewhere Java 17's {@link System#console}, which is there only when
     * stdin and stdout both are a terminal, so {@code chat post x > file} there gives no hint. No JLine terminal: its
     * start-up would cost a one-shot command more than the hint is worth.
     */
    static boolean isTerminal() {
        if (Files.isSymbolicLink(LINUX_STDIN)) {
            try {
                String target = Files.readSymbolicLink(LINUX_STDIN).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            } catch (IOException | UnsupportedOperationException e) {
                return System.console() != null;
            }
        }
        return System.console() != null;
    }
}
