package chat.cli;

import chat.config.Config;
import chat.config.Settings;
import chat.server.ChatServer;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The real server on a free port, and a way to run `chat` commands in-process against it. */
final class CliHarness implements AutoCloseable {
    /**
     * How long a test waits for something another thread, connection or process does. Generous, since only a
     * failing test waits this long, and a loaded 2-core machine can stall a JVM for seconds.
     */
    static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final long POLL_MILLIS = 20;

    /** What one command did. */
    record Run(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\nout: " + out + "\nerr: " + err;
        }
    }

    final ChatServer server;
    final Path configDir;

    CliHarness(Path configDir) {
        this(configDir, Config.defaults());
    }

    /** With the test's own settings (rate limits, say), on a free port and with cheap password hashing. */
    CliHarness(Path configDir, Config.Builder settings) {
        this.server = ChatServer.start(settings.with(Settings.PORT, 0).with(Settings.BCRYPT_COST, 4).build());
        this.configDir = configDir;
    }

    String url() {
        return server.url();
    }

    Run chat(String... args) {
        return chatWith(url(), configDir, args);
    }

    static Run chatWith(String server, Path configDir, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.execute(commandLine(server, configDir, args), new PrintWriter(out), new PrintWriter(err));
        return new Run(exit, out.toString(), err.toString());
    }

    private static String[] commandLine(String server, Path configDir, String... args) {
        List<String> all = new ArrayList<>(List.of("--server", server, "--config-dir", configDir.toString()));
        all.addAll(List.of(args));
        return all.toArray(String[]::new);
    }

    /** Starts a long-running command against this server. */
    Background inBackground(String... args) {
        return new Background(url(), configDir, args);
    }

    /** Logs on with the hidden --password-env option (what CHAT_PASSWORD sets). */
    Run logon(String user, String password) {
        return chat("logon", user, "--password-env", password);
    }

    /** A message line's time, {@code 14:03 } (or {@code 2026-12-01 14:03 } when not today), as LineFormat shows it. */
    static final Pattern SHOWN_TIME = Pattern.compile("^(\\d{4}-\\d\\d-\\d\\d )?\\d\\d:\\d\\d ");

    /**
     * What a command printed with each message's time taken out, and as much of the indent of a message's later
     * lines: the times are the server's clock, which a test does not choose, and everything else is compared exactly.
     */
    static String untimed(String printed) {
        StringBuilder out = new StringBuilder();
        int indent = 0;
        for (String line : printed.split("\n", -1)) {
            Matcher time = SHOWN_TIME.matcher(line);
            if (time.find()) {
                indent = time.end();
                line = line.substring(indent);
            } else if (indent > 0 && line.startsWith(" ".repeat(indent))) {
                line = line.substring(indent);
            } else {
                indent = 0;
            }
            out.append(line).append('\n');
        }
        return out.substring(0, out.length() - 1);
    }

    /**
     * Observes something until it is as expected, and returns what was observed then. Fails after {@link #PATIENCE}
     * quoting the last observation, so a failure says what was seen instead of only that it timed out.
     */
    static <T> T await(String what, Callable<T> observe, Predicate<T> expected) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            T seen = observe.call();
            if (expected.test(seen)) {
                return seen;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + PATIENCE.toSeconds() + " s for " + what + "; last seen:\n" + seen);
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    /**
     * A long-running command (tail) on its own thread. Closing it interrupts it, as Ctrl-C would, and checks that it
     * stopped; use it in try-with-resources so a test's own failure is not hidden by that check.
     */
    static final class Background implements AutoCloseable {
        private final String name;
        private final StringWriter out = new StringWriter();
        private final StringWriter err = new StringWriter();
        private final Thread thread;
        private volatile Integer exitCode; // null while running

        Background(String server, Path configDir, String... args) {
            this.name = String.join(" ", args);
            String[] commandLine = commandLine(server, configDir, args);
            this.thread = new Thread(() -> exitCode = Main.execute(commandLine, new PrintWriter(out),
                    new PrintWriter(err)), "chat-" + args[0]);
            thread.start();
        }

        String out() {
            return out.toString();
        }

        String err() {
            return err.toString();
        }

        /** Waits until the command has printed {@code text} on stdout; fails at once if it ended first. */
        void awaitOut(String text, String what) throws Exception {
            awaitPrinted(out, text, what);
        }

        /** Waits until the command has printed {@code text} on stderr; fails at once if it ended first. */
        void awaitErr(String text, String what) throws Exception {
            awaitPrinted(err, text, what);
        }

        private void awaitPrinted(StringWriter stream, String text, String what) throws Exception {
            await(what + " (\"" + text + "\")", () -> this, self -> {
                boolean ended = exitCode != null; // read first: what it printed before ending is then in the stream
                return stream.toString().contains(text) || ended;
            });
            if (!stream.toString().contains(text)) {
                throw new AssertionError(name + " ended before " + what + " (\"" + text + "\"):\n" + this);
            }
        }

        @Override
        public void close() throws InterruptedException {
            thread.interrupt();
            thread.join(PATIENCE.toMillis());
            if (thread.isAlive()) {
                throw new AssertionError(name + " did not stop when interrupted:\n" + this);
            }
        }

        @Override
        public String toString() {
            return name + ": " + (exitCode == null ? "running" : "exit " + exitCode) + "\nout: " + out + "\nerr: " + err;
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
