package chat.cli;

import chat.server.ChatServer;
import chat.server.Config;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The real server on a free port, and a way to run `chat` commands in-process against it. */
final class CliHarness implements AutoCloseable {
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
        this.server = ChatServer.start(Config.defaults().port(0).bcryptCost(4).build());
        this.configDir = configDir;
    }

    String url() {
        return server.url();
    }

    Run chat(String... args) {
        return chatWith(url(), configDir, args);
    }

    static Run chatWith(String server, Path configDir, String... args) {
        List<String> all = new ArrayList<>(List.of("--server", server, "--config-dir", configDir.toString()));
        all.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.execute(all.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
        return new Run(exit, out.toString(), err.toString());
    }

    /**
     * Starts a long-running command (tail) on its own thread, writing to the given streams; the caller interrupts
     * and joins it when done.
     */
    static Thread inBackground(String server, Path configDir, StringWriter out, StringWriter err, String... args) {
        List<String> all = new ArrayList<>(List.of("--server", server, "--config-dir", configDir.toString()));
        all.addAll(List.of(args));
        Thread thread = new Thread(() -> Main.execute(all.toArray(String[]::new), new PrintWriter(out),
                new PrintWriter(err)), "chat-" + args[0]);
        thread.start();
        return thread;
    }

    /** Logs on with the hidden --password-env option (what CHAT_PASSWORD sets). */
    Run logon(String user, String password) {
        return chat("logon", user, "--password-env", password);
    }

    @Override
    public void close() {
        server.close();
    }
}
