package chat.cli;

import chat.cli.CliHarness.Run;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class CommandsTest {
    @TempDir
    Path configDir;
    private CliHarness chat;

    @BeforeEach
    void start() {
        chat = new CliHarness(configDir);
    }

    @AfterEach
    void stop() {
        chat.close();
    }

    private static void assertOk(Run run) {
        assertEquals(ExitCode.OK, run.exitCode(), run.toString());
    }

    @Test
    void logonStoresTheSessionReadableOnlyByTheOwner() throws Exception {
        Run run = chat.logon("alice", "pw");
        assertOk(run);
        assertTrue(run.out().contains("logged on to " + chat.url() + " as alice"), run.out());
        Path sessions = configDir.resolve("sessions.json");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(sessions)));
        assertTrue(Files.readString(sessions).contains("\"alice\""));
        assertOk(chat.chat("channels"));
    }

    @Test
    void createPostReadAndLastWorkForPeople() {
        assertOk(chat.logon("alice", "pw"));
        assertOk(chat.chat("create", "general"));
        assertOk(chat.chat("post", "general", "hello", "world"));
        assertOk(chat.chat("post", "general", "second 😀"));
        assertEquals("general", chat.chat("channels").out().strip());
        assertEquals("2", chat.chat("last", "general").out().strip());
        Run read = chat.chat("read", "general");
        assertOk(read);
        assertEquals("[1] alice: hello world\n[2] alice: second 😀", read.out().strip());
        assertEquals("[2] alice: second 😀", chat.chat("read", "general", "--last", "1").out().strip());
        assertEquals("[1] alice: hello world", chat.chat("read", "general", "--from", "1", "--to", "1").out().strip());
    }

    @Test
    void jsonPrintsTheProtocolsDataAsIs() {
        assertOk(chat.logon("alice", "pw"));
        assertOk(chat.chat("create", "general"));
        assertOk(chat.chat("post", "general", "hi"));
        assertEquals("[\"general\"]", chat.chat("channels", "--json").out().strip());
        assertEquals("true", chat.chat("--json", "create", "other").out().strip());
        var messages = JsonParser.parseString(chat.chat("read", "general", "--json").out()).getAsJsonArray();
        assertEquals("hi", messages.get(0).getAsJsonObject().get("message").getAsString());
        assertEquals(1, JsonParser.parseString(chat.chat("last", "general", "--json").out()).getAsLong());
    }

    @Test
    void postReadsStandardInputWhenNoTextIsGiven() {
        assertOk(chat.logon("alice", "pw"));
        assertOk(chat.chat("create", "general"));
        InputStream original = System.in;
        try {
            System.setIn(new ByteArrayInputStream("from stdin\nsecond line\n".getBytes(StandardCharsets.UTF_8)));
            assertOk(chat.chat("post", "general"));
        } finally {
            System.setIn(original);
        }
        assertEquals("[1] alice: from stdin\nsecond line", chat.chat("read", "general").out().strip());
    }

    @Test
    void aRefusedCallExitsOneWithTheServersReasonOnStderr() {
        assertOk(chat.logon("alice", "pw"));
        assertOk(chat.chat("create", "general"));
        Run again = chat.chat("create", "general");
        assertEquals(ExitCode.REFUSED, again.exitCode(), again.toString());
        assertTrue(again.err().startsWith("error: a channel named \"general\" exists already"), again.err());
        assertEquals("", again.out());
        Run wrong = chat.logon("alice", "not the password");
        assertEquals(ExitCode.REFUSED, wrong.exitCode());
        assertTrue(wrong.err().contains("wrong password"), wrong.err());
    }

    @Test
    void withoutAStoredSessionCommandsSayLogOnFirst() {
        Run run = chat.chat("channels");
        assertEquals(ExitCode.REFUSED, run.exitCode());
        assertTrue(run.err().contains("log on first"), run.err());
    }

    @Test
    void anEndedSessionSaysLogOnAgain() {
        assertOk(chat.logon("alice", "pw"));
        long key = new SessionFile(configDir).require(chat.url()).sesskey();
        try (ChatClient other = new ChatClient(chat.url())) {
            other.logoff(key); // ended elsewhere, as expiry would
        }
        Run run = chat.chat("channels");
        assertEquals(ExitCode.REFUSED, run.exitCode());
        assertTrue(run.err().contains("log on again"), run.err());
        assertOk(chat.chat("logoff")); // forgets the dead session without complaint
        assertTrue(chat.chat("channels").err().contains("log on first"));
    }

    @Test
    void anUnreachableServerExitsThreeForEveryCommandIncludingLogon() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String nowhere = "http://127.0.0.1:" + closedPort;
        Run logon = CliHarness.chatWith(nowhere, configDir, "logon", "alice", "--password-env", "pw");
        assertEquals(ExitCode.UNREACHABLE, logon.exitCode(), logon.toString());
        assertTrue(logon.err().contains("cannot reach " + nowhere), logon.err());
        new SessionFile(configDir).store(nowhere, new SessionFile.Session("alice", 42));
        Run channels = CliHarness.chatWith(nowhere, configDir, "channels");
        assertEquals(ExitCode.UNREACHABLE, channels.exitCode(), channels.toString());
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(ExitCode.USAGE, chat.chat("no-such-command").exitCode());
        assertEquals(ExitCode.USAGE, chat.chat("create").exitCode());
        assertEquals(ExitCode.USAGE, chat.chat("read", "general", "--last", "2", "--from", "1").exitCode());
    }

    @Test
    void helpListsTheCommandsAndExitCodes() {
        Run help = chat.chat("--help");
        assertOk(help);
        for (String command : new String[]{"logon", "logoff", "channels", "create", "post", "last", "read", "tail", "join"}) {
            assertTrue(help.out().contains(command), command + " in " + help.out());
        }
        assertTrue(help.out().contains("Exit codes: 0 ok, 1 the server refused"), help.out());
    }

    @Test
    void tailPrintsAMessagePostedByAnotherClient() throws Exception {
        assertOk(chat.logon("alice", "pw"));
        assertOk(chat.chat("create", "general"));
        assertOk(chat.chat("post", "general", "before tail"));
        StringWriter out = new StringWriter();
        Thread tail = CliHarness.inBackground(chat.url(), configDir, out, new StringWriter(), "tail", "general");
        try (ChatClient bob = new ChatClient(chat.url())) {
            long key = bob.logon("bob", "pw");
            waitFor(() -> out.toString().contains("[1] alice: before tail"), "the backlog");
            bob.post(key, "general", "hello from bob");
            waitFor(() -> out.toString().contains("[2] bob: hello from bob"), "bob's message");
        } finally {
            tail.interrupt();
            tail.join(10_000);
        }
        assertEquals(1, out.toString().split("hello from bob", -1).length - 1, "shown once: " + out);
    }

    @Test
    void tailWithJsonPrintsOneProtocolMessageALine() throws Exception {
        assertOk(chat.logon("alice", "pw"));
        assertOk(chat.chat("create", "general"));
        assertOk(chat.chat("post", "general", "quoted \"text\""));
        StringWriter out = new StringWriter();
        Thread tail = CliHarness.inBackground(chat.url(), configDir, out, new StringWriter(), "tail", "general", "--json");
        try {
            waitFor(() -> out.toString().contains("\n"), "the first line");
        } finally {
            tail.interrupt();
            tail.join(10_000);
        }
        var message = JsonParser.parseString(out.toString().lines().findFirst().orElseThrow()).getAsJsonObject();
        assertEquals(1, message.get("messageid").getAsLong());
        assertEquals("alice", message.get("username").getAsString());
        assertEquals("quoted \"text\"", message.get("message").getAsString());
    }

    static void waitFor(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
