package chat.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Drives `chat join` as a person would: in a real pseudo-terminal (tmux), typing half a line while another user's
 * message arrives. run.sh installs tmux where it is missing.
 */
@Timeout(90)
class InteractiveSessionTest {
    @TempDir
    Path configDir;
    private CliHarness chat;
    private final String session = "chat-test-" + UUID.randomUUID().toString().substring(0, 8);

    @BeforeEach
    void start() {
        chat = new CliHarness(configDir);
    }

    @AfterEach
    void stop() throws Exception {
        tmux("kill-session", "-t", session);
        chat.close();
    }

    @Test
    void anIncomingMessageAppearsAboveAHalfTypedLineWhichIsThenPosted() throws Exception {
        assertEquals(ExitCode.OK, chat.logon("alice", "pw").exitCode());
        assertEquals(ExitCode.OK, chat.chat("create", "general").exitCode());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = String.join(" ", quote(java), "-cp", quote(System.getProperty("java.class.path")),
                "chat.cli.Main", "--server", chat.url(), "--config-dir", quote(configDir.toString()), "join", "general");
        assertEquals(0, tmux("new-session", "-d", "-s", session, "-x", "120", "-y", "30", command));
        waitForScreen("[general] alice>", "the prompt"); // capture-pane drops trailing spaces

        tmux("send-keys", "-t", session, "-l", "half typed");
        waitForScreen("alice> half typed", "the half-typed line");
        try (ChatClient bob = new ChatClient(chat.url())) {
            long key = bob.logon("bob", "pw");
            bob.post(key, "general", "hello from bob");
        }
        String screen = waitForScreen("[1] bob: hello from bob", "bob's message");
        List<String> lines = screen.lines().filter(line -> !line.isBlank()).toList();
        assertTrue(lines.get(lines.size() - 1).endsWith("alice> half typed"),
                "the half-typed line stays at the prompt, below the message:\n" + screen);

        tmux("send-keys", "-t", session, "-l", " and finished");
        tmux("send-keys", "-t", session, "Enter");
        waitForScreen("[2] alice: half typed and finished", "alice's own message");
        try (ChatClient check = new ChatClient(chat.url())) {
            long key = check.logon("carol", "pw");
            assertEquals("half typed and finished", check.retrieve(key, "general", 2, 2).get(0).text());
        }
        tmux("send-keys", "-t", session, "-l", "/quit");
        tmux("send-keys", "-t", session, "Enter");
    }

    private String waitForScreen(String text, String what) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        String screen = "";
        while (System.nanoTime() < deadline) {
            screen = capture();
            if (screen.contains(text)) {
                return screen;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("timed out waiting for " + what + " (\"" + text + "\"); the screen:\n" + screen);
    }

    private String capture() throws Exception {
        Process process = new ProcessBuilder("tmux", "capture-pane", "-p", "-t", session).redirectErrorStream(true).start();
        String screen = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return screen;
    }

    private static int tmux(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tmux"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        return process.waitFor();
    }

    private static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
