package chat.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The interactive session: JLine reads the user's lines (with editing and history) while the followed channels'
 * messages, pushed over one WebSocket (or polled, from a server without one), are printed above the prompt, each
 * with its channel, leaving a half-typed line untouched. Typed lines go to the current channel; the prompt names it
 * and counts what came in the others since they were last current ({@code general (random 3, dev 1)> }).
 *
 * <p>A typed line is erased when entered, and the server's echo of it takes its place: that line is the truth (its
 * id, its time, where it fell among others' messages), and it shows only once the message is stored, so nothing is
 * shown twice and nothing unsent looks sent.
 */
final class InteractiveSession implements FeedListener {
    static final String HELP = "commands: /join NAME, /leave [NAME], /switch NAME (or /1, /2, ...), /who [NAME], "
            + "/me ACTION, /channels, /create NAME, /help, /quit (or Ctrl-D); //text posts /text";
    private static final int BACKLOG = 10; // the newest messages shown of a channel on joining it
    private static final char BELL = 7;

    private final ChatCommand root;
    private final ChatClient client;
    private final long sesskey;
    private final String username;
    private final List<String> initialChannels;
    private final Channels channels = new Channels();
    private ChannelFeed feed;
    private Terminal terminal;
    private volatile LineReaderImpl reader; // the implementation: its prompt can change while a line is being read
    private LineFormat format;

    InteractiveSession(ChatCommand root, ChatClient client, List<String> channels) {
        this.root = root;
        // A wait for a throttled call is told above the prompt, like everything else, not on stderr across it.
        this.client = client.withNotices(this::notice);
        SessionFile.Session session = new SessionFile(root.configDir).require(client.server());
        this.sesskey = session.sesskey();
        this.username = session.username();
        this.initialChannels = List.copyOf(channels);
    }

    int run() {
        feed = new ChannelFeed(client, sesskey, this);
        try {
            // Before the terminal: a channel that cannot be followed is the command's error, said before anything.
            for (String channel : initialChannels) {
                channels.add(channel, feed.follow(channel, BACKLOG));
            }
            return converse();
        } finally {
            feed.close();
        }
    }

    private int converse() {
        // The session is what stdout shows: piped (even with stderr a terminal), a plain terminal without colour
        // (dumb), with no warning of it.
        try (Terminal opened = TerminalBuilder.builder().system(true).systemOutput(TerminalBuilder.SystemOutput.SysOut)
                .dumb(true).build()) {
            terminal = opened;
            format = new LineFormat(Clock.systemDefaultZone(),
                    Style.forTerminal(terminal, root.noColor, System.getenv("NO_COLOR")), username);
            reader = (LineReaderImpl) LineReaderBuilder.builder().terminal(terminal).appName("chat")
                    .variable(LineReader.HISTORY_FILE, privateHistoryFile())
                    .option(LineReader.Option.ERASE_LINE_ON_FINISH, true) // the server's echo replaces it
                    .build();
            notice("connected to " + client.server() + " as " + username + "; /help lists the commands");
            feed.whenEnded(end -> {
                if (end == ChannelFeed.End.SESSION_ENDED) {
                    notice("your session has ended or expired; /quit and log on again");
                }
            });
            feed.start();
            while (true) {
                String line;
                try {
                    line = reader.readLine(prompt());
                } catch (UserInterruptException e) {
                    if (e.getPartialLine() == null || e.getPartialLine().isEmpty()) {
                        break; // Ctrl-C on an empty line quits, as a second Ctrl-C after clearing one does
                    }
                    continue; // Ctrl-C with a half-typed line clears it
                } catch (EndOfFileException e) {
                    break;
                }
                if (!new SessionCommands(this).handle(line.strip())) {
                    break;
                }
            }
            return ExitCode.OK;
        } catch (IOException e) {
            throw new CliException(ExitCode.USAGE, "cannot open the terminal: " + e.getMessage());
        }
    }

    /** The input history holds everything typed: created readable by the user alone, and tightened if it exists. */
    private Path privateHistoryFile() throws IOException {
        Path history = root.configDir.resolve("history");
        try {
            if (Files.exists(history)) {
                Files.setPosixFilePermissions(history, PosixFilePermissions.fromString("rw-------"));
            } else {
                Files.createDirectories(root.configDir);
                Files.createFile(history, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------")));
            }
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system (Windows): its ACLs are the user profile's
        }
        return history;
    }

    ChatClient client() {
        return client;
    }

    long sesskey() {
        return sesskey;
    }

    String username() {
        return username;
    }

    Channels channels() {
        return channels;
    }

    /** Follows the channel too, and makes it current; it is already the current one if followed. */
    void join(String channel) {
        if (!channels.isFollowed(channel)) {
            channels.add(channel, feed.follow(channel, BACKLOG)); // throws, changing nothing, if it cannot be read
        }
        channels.switchTo(channel);
    }

    void leave(String channel) {
        feed.unfollow(channel);
        channels.remove(channel);
    }

    /** When polling, shows the user's own message at once; pushed, it comes by itself. */
    void posted() {
        feed.catchUp();
    }

    @Override
    public void message(String channel, Message message) {
        boolean mentioned = format.mentionsSelf(message);
        channels.arrived(channel, message, !message.username().equals(username));
        reader.setPrompt(prompt()); // the redraw after printing shows the new counts
        print(format.message(channel, message));
        if (mentioned) {
            terminal.writer().print(BELL);
            terminal.writer().flush();
        }
    }

    @Override
    public void presence(String channel, String user, boolean joined) {
        print(format.presence(channel, user, joined));
    }

    @Override
    public void refused(String channel, String reason, String errorCode) {
        channels.remove(channel);
        reader.setPrompt(prompt());
        notice(ErrorCodes.LIMIT_REACHED.equals(errorCode)
                ? "cannot follow " + LineFormat.channelName(channel) + ": the server limits how many channels one "
                + "connection follows (" + reason + "); /leave one first"
                : "cannot follow " + LineFormat.channelName(channel) + ": " + reason);
    }

    /** A line for the person: made safe whatever it holds (a server's reason, a channel's name). */
    @Override
    public void notice(String text) {
        if (reader == null) { // before the terminal opens: a wait while the channels are first read
            root.spec.commandLine().getErr().println(TerminalText.inline(text));
            root.spec.commandLine().getErr().flush();
            return;
        }
        print(new AttributedString(TerminalText.inline(text), format.style().dim()));
    }

    /** Prints a line the session made (a list, a usage), safe like any other. */
    void say(String text) {
        print(new AttributedString(TerminalText.inline(text)));
    }

    /** Above the prompt, at once: a dumb terminal (output piped) would otherwise hold the line in its buffer. */
    private void print(AttributedString line) {
        reader.printAbove(line);
        terminal.flush();
    }

    /** {@code general (random 3, dev 1)> }: the current channel, then the others' unread counts. */
    String prompt() {
        String current = channels.current();
        if (current == null) {
            return escapePrompt(username + "> ");
        }
        List<String> others = new ArrayList<>();
        channels.unread().forEach((channel, count) -> {
            if (!channel.equals(current) && count > 0) {
                others.add(TerminalText.inline(channel) + " " + count);
            }
        });
        String counts = others.isEmpty() ? "" : others.stream().collect(Collectors.joining(", ", " (", ")"));
        return escapePrompt(TerminalText.inline(current) + counts + "> ");
    }

    /** JLine expands {@code %} sequences in a prompt; a channel named with one must show as it is. */
    private static String escapePrompt(String prompt) {
        return prompt.replace("%", "%%");
    }

    /** Prints who is present in the channel, or that this server does not say. */
    void who(String channel) {
        JsonElement data;
        try {
            data = client.who(sesskey, channel);
        } catch (CliException e) {
            if (ErrorCodes.UNKNOWN_CALL.equals(e.errorCode())) {
                say("this server does not show who is here");
                return;
            }
            throw e;
        }
        JsonObject answer = data.getAsJsonObject();
        long count = answer.get("count").getAsLong();
        List<String> names = new ArrayList<>();
        answer.getAsJsonArray("users").forEach(name -> names.add(TerminalText.inline(name.getAsString())));
        long more = count - names.size();
        say(LineFormat.channelName(channel) + ": " + count + " here" + (names.isEmpty() ? "" : ": "
                + String.join(", ", names)) + (more > 0 ? " and " + more + " more" : ""));
    }
}
