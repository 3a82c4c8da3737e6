package chat.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Real pseudo-terminals for `chat` as a person runs it: a tmux server of the test's own (its socket in the test's
 * temporary folder, no tmux.conf, so nobody else's tmux or settings change what a pane shows), one session per
 * user, 120 by 30. Each session's raw output is recorded from its first byte (the command waits for a go until the
 * recording runs), so a test can check what reached the terminal, not only what the screen shows. run.sh installs
 * tmux where it is missing. Closing kills this tmux server only.
 */
final class TmuxSessions implements AutoCloseable {
    private final Path folder;

    TmuxSessions(Path folder) {
        this.folder = folder;
    }

    /**
     * Starts {@code chat ARGS} in a new session named {@code name}, in the environment given (NO_COLOR, say); once it
     * ends the pane says {@code chat exited N} and stays, so a test can see that it ended and how.
     */
    void startChat(String name, String server, Path configDir, Map<String, String> environment, String... args)
            throws Exception {
        startChat(name, server, configDir, environment, null, null, args);
    }

    /** As {@link #startChat}, with chat's standard output going to {@code output} instead of the terminal. */
    void startChatWritingTo(String name, String server, Path configDir, Path output, String... args) throws Exception {
        startChat(name, server, configDir, Map.of(), output, null, args);
    }

    /** As {@link #startChat}, with chat's standard input read from {@code input} instead of the terminal. */
    void startChatReadingFrom(String name, String server, Path configDir, Path input, String... args) throws Exception {
        startChat(name, server, configDir, Map.of(), null, input, args);
    }

    private void startChat(String name, String server, Path configDir, Map<String, String> environment, Path output,
                           Path input, String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> words = new ArrayList<>(List.of(quote(java), "-cp", quote(System.getProperty("java.class.path")),
                "chat.cli.Main", "--server", quote(server), "--config-dir", quote(configDir.toString())));
        for (String arg : args) {
            words.add(quote(arg));
        }
        StringBuilder env = new StringBuilder();
        environment.forEach((key, value) -> env.append(key).append('=').append(quote(value)).append(' '));
        // The shell outlives a Ctrl-C (which the terminal sends to it too) by trapping it; chat still gets it.
        if (output != null) {
            words.add("> " + quote(output.toString()));
        }
        if (input != null) {
            words.add("< " + quote(input.toString()));
        }
        String command = "trap true INT; read go; " + env + String.join(" ", words) + "; echo \"chat exited $?\"; read done";
        tmux("new-session", "-d", "-s", name, "-x", "120", "-y", "30", "sh -c " + quote(command));
        tmux("pipe-pane", "-t", name, "-o", "cat >> " + quote(rawFile(name).toString()));
        tmux("send-keys", "-t", name, "Enter"); // the go: the recording runs by now
    }

    /** Types the text as it is (no key names). */
    void type(String name, String text) throws Exception {
        tmux("send-keys", "-t", name, "-l", text);
    }

    /** Presses keys by tmux's names: Enter, C-c, C-d. */
    void press(String name, String... keys) throws Exception {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", name));
        args.addAll(List.of(keys));
        tmux(args.toArray(String[]::new));
    }

    /** Types a line and presses Enter. */
    void enter(String name, String line) throws Exception {
        type(name, line);
        press(name, "Enter");
    }

    /** Pastes text as a terminal does (bracketed, when the program asked for it). */
    void paste(String name, String text) throws Exception {
        tmux("set-buffer", "-b", "paste-" + name, text);
        tmux("paste-buffer", "-p", "-d", "-b", "paste-" + name, "-t", name);
    }

    /** What the pane shows, as text. */
    String screen(String name) throws Exception {
        return tmux("capture-pane", "-p", "-t", name);
    }

    /** What the pane shows, with its colours and attributes as escape sequences. */
    String screenWithAttributes(String name) throws Exception {
        return tmux("capture-pane", "-p", "-e", "-t", name);
    }

    /** The pane's title, which an OSC 2 sequence would set. */
    String title(String name) throws Exception {
        return tmux("display-message", "-p", "-t", name, "#{pane_title}").strip();
    }

    /** Every byte the program wrote to the terminal so far. */
    String raw(String name) throws IOException {
        Path file = rawFile(name);
        return Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
    }

    /** Waits until the pane shows what is expected, and returns the screen then; fails quoting the last one. */
    String awaitScreen(String name, String what, Predicate<String> expected) throws Exception {
        return CliHarness.await(name + ": " + what, () -> screen(name), expected);
    }

    private Path rawFile(String name) {
        return folder.resolve(name + ".raw");
    }

    private String tmux(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tmux", "-S", folder.resolve("tmux").toString(), "-f",
                "/dev/null"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();
        if (exit != 0 && !args[0].equals("kill-server")) { // kill-server: the sessions may have ended by themselves
            throw new AssertionError(String.join(" ", command) + " exited " + exit + ": " + output);
        }
        return output;
    }

    static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    static String lastLine(String screen) {
        List<String> lines = screen.lines().filter(line -> !line.isBlank()).toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    static int occurrences(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    @Override
    public void close() throws Exception {
        tmux("kill-server");
    }
}
