package chat.cli;

import chat.cli.CliHarness.Run;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 17's CLI conventions: help on every command, the version, the help's own text, and --server's forms. */
@Timeout(60)
class CommandLineConventionsTest {
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

    /** Every command's name, as picocli knows them: a command added later is covered without editing this test. */
    private static Set<String> commands() {
        Set<String> names = new CommandLine(new ChatCommand()).getSubcommands().keySet();
        assertTrue(names.containsAll(Set.of("logon", "logoff", "post", "read", "tail", "join", "help")), names.toString());
        return names;
    }

    private static void assertUsageOf(String command, Run run) {
        assertEquals(ExitCode.OK, run.exitCode(), command + ": " + run);
        // picocli's own help command puts a line about itself before its usage.
        assertTrue(run.out().startsWith("Usage: chat " + command) || command.equals("help")
                && run.out().contains("\nUsage: chat help"), command + ": " + run);
        assertEquals("", run.err(), command + ": " + run);
    }

    @Test
    void everyCommandShowsItsUsageForHelpAndForH() {
        for (String command : commands()) {
            if (command.equals("help")) {
                continue; // picocli's help command has no options of its own: `chat help` is its help
            }
            assertUsageOf(command, chat.chat(command, "--help"));
            assertUsageOf(command, chat.chat(command, "-h"));
        }
        assertUsageOf("post", chat.chat("post", "-h")); // not "Missing required parameter: 'CHANNEL'"
        assertUsageOf("logoff", chat.chat("logoff", "--help")); // not "Unknown option"
    }

    @Test
    void helpCommandShowsTheUsageOfTheCommandNamedOrOfChat() {
        for (String command : commands()) {
            assertUsageOf(command, chat.chat("help", command));
        }
        Run all = chat.chat("help");
        assertEquals(ExitCode.OK, all.exitCode(), all.toString());
        assertTrue(all.out().startsWith("Usage: chat [") && all.out().contains("Commands:"), all.toString());
        assertEquals(ExitCode.USAGE, chat.chat("help", "no-such-command").exitCode());
    }

    @Test
    void versionNamesTheClientItsVersionAndItsCommit() {
        for (String flag : new String[]{"--version", "-V"}) {
            Run run = chat.chat(flag);
            assertEquals(ExitCode.OK, run.exitCode(), run.toString());
            // Maven filled the resource in: no placeholder left (the commit is "unknown" unless run.sh passed one).
            assertTrue(run.out().strip().matches("chat-cli [0-9][^ ]* \\(commit ([0-9a-f]{7,40}|unknown)\\)"),
                    run.toString());
        }
        assertEquals(chat.chat("--version").out(), chat.chat("channels", "--version").out());
    }

    @Test
    void helpNamesTheConfigDirectoryAndKeepsEachDefaultOnOneLine() {
        Run help = chat.chat("--help");
        assertEquals(ExitCode.OK, help.exitCode(), help.toString());
        assertTrue(help.out().contains("--config-dir=DIR"), help.out());
        // The defaults, whole on their lines (the harness's own --server and --config-dir are not defaults).
        String directory = System.getenv().getOrDefault("CHAT_CONFIG_DIR",
                System.getProperty("user.home") + "/.config/chat");
        String server = System.getenv().getOrDefault("CHAT_SERVER", "http://localhost:8080");
        assertTrue(help.out().contains("(default: " + directory + ")"), help.out());
        assertTrue(help.out().contains("(default: " + server + ")"), help.out());
        help.out().lines().forEach(line -> assertTrue(line.length() <= 100, "over 100 columns: " + line));
    }

    @Test
    void aServerWithoutSchemeIsTakenAsHttp() {
        String hostAndPort = chat.url().replaceFirst("^http://", "");
        Run logon = CliHarness.chatWith(hostAndPort, configDir, "logon", "zed", "--password-env", "pw");
        assertEquals(ExitCode.OK, logon.exitCode(), logon.toString());
        assertTrue(logon.out().contains("logged on to " + chat.url() + " as zed"), logon.toString());
        assertEquals(ExitCode.OK, chat.chat("channels").exitCode(), "one session, however the server was written");
    }

    @Test
    void chatServerInTheEnvironmentMayBeHostAndPortToo() throws Exception {
        assertEquals(ExitCode.OK, chat.logon("alice", "pw").exitCode());
        assertEquals(ExitCode.OK, chat.chat("create", "general").exitCode());
        // A process of its own: the environment is read where picocli resolves --server's default.
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "chat.cli.Main",
                "--config-dir", configDir.toString(), "channels").redirectErrorStream(true);
        builder.environment().put("CHAT_SERVER", chat.url().replaceFirst("^http://", ""));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(ExitCode.OK, process.waitFor(), output);
        assertEquals("general", output.strip());

        builder.environment().put("CHAT_SERVER", "ftp://x");
        Process malformed = builder.start();
        String refusal = new String(malformed.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(ExitCode.USAGE, malformed.waitFor(), refusal);
        assertTrue(refusal.contains("CHAT_SERVER") && refusal.contains(ServerUrl.EXPECTED), refusal);

        // Help and version still answer, the help being where the variable is explained.
        for (String asked : new String[]{"--help", "--version"}) {
            builder.command(java, "-cp", System.getProperty("java.class.path"), "chat.cli.Main", asked);
            Process help = builder.start();
            String shown = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(ExitCode.OK, help.waitFor(), asked + " with a bad CHAT_SERVER: " + shown);
        }
    }

    @Test
    void aMalformedServerIsAUsageErrorNamingTheOptionAndWhatItExpects() {
        for (String written : new String[]{"ftp://x", "http://", "a b", "localhost:99999"}) {
            Run run = CliHarness.chatWith(written, configDir, "channels");
            assertEquals(ExitCode.USAGE, run.exitCode(), written + ": " + run);
            assertTrue(run.err().contains("--server") && run.err().contains(ServerUrl.EXPECTED), written + ": " + run);
            assertFalse(run.err().contains("Exception"), written + ": " + run);
        }
    }
}
