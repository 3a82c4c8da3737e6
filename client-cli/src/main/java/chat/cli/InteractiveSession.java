package chat.cli;

import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

import java.io.IOException;

/**
 * The interactive session: JLine reads the user's lines (with editing and history) while incoming messages, pushed
 * over the server's WebSocket (or polled, from a server without one), are printed above the prompt, leaving a
 * half-typed line untouched.
 */
final class InteractiveSession {
    private static final String HELP = "commands: /join NAME, /channels, /create NAME, /help, /quit (or Ctrl-D)";
    private static final int BACKLOG = 10; // the newest messages shown on joining

    private final ChatCommand root;
    private final ChatClient client;
    private final long sesskey;
    private final String username;
    private volatile String channel;
    private volatile ChannelFeed feed; // of the channel joined, if any
    private LineReader reader;

    InteractiveSession(ChatCommand root, ChatClient client, String channel) {
        this.root = root;
        // A wait for a throttled call is told above the prompt, like everything else, not on stderr across it.
        this.client = client.withNotices(this::show);
        SessionFile.Session session = new SessionFile(root.configDir).require(client.server());
        this.sesskey = session.sesskey();
        this.username = session.username();
        this.channel = channel;
    }

    int run() {
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            reader = LineReaderBuilder.builder().terminal(terminal).appName("chat")
                    .variable(LineReader.HISTORY_FILE, root.configDir.resolve("history"))
                    .build();
            show("connected to " + client.server() + " as " + username + "; " + HELP);
            if (channel != null) {
                join(channel);
            }
            while (true) {
                String line;
                try {
                    line = reader.readLine(prompt());
                } catch (UserInterruptException | EndOfFileException e) {
                    break;
                }
                if (!handle(line.strip())) {
                    break;
                }
            }
            return ExitCode.OK;
        } catch (IOException e) {
            throw new CliException(ExitCode.USAGE, "cannot open the terminal: " + e.getMessage());
        } finally {
            ChannelFeed current = feed;
            if (current != null) {
                current.close();
            }
        }
    }

    /** Acts on one typed line; false to end the session. */
    private boolean handle(String line) {
        if (line.isEmpty()) {
            return true;
        }
        try {
            if (!line.startsWith("/")) {
                if (channel == null) {
                    show("join a channel first: /join NAME (/channels lists them)");
                } else {
                    client.post(sesskey, channel, line);
                    feed.catchUp(); // when polling, so our own message shows at once
                }
                return true;
            }
            String[] words = line.split("\\s+", 2);
            String argument = words.length > 1 ? words[1].strip() : "";
            switch (words[0]) {
                case "/quit", "/exit" -> {
                    return false;
                }
                case "/join" -> {
                    if (argument.isEmpty()) {
                        show("usage: /join NAME");
                    } else {
                        join(argument);
                        show("joined " + argument);
                    }
                }
                case "/channels" -> {
                    StringBuilder names = new StringBuilder("channels:");
                    client.channels(sesskey).getAsJsonArray().forEach(name -> names.append(' ').append(name.getAsString()));
                    show(names.toString());
                }
                case "/create" -> {
                    if (argument.isEmpty()) {
                        show("usage: /create NAME");
                    } else {
                        client.create(sesskey, argument);
                        show("created " + argument + "; /join " + argument + " to chat there");
                    }
                }
                default -> show(HELP);
            }
        } catch (CliException e) {
            show("error: " + e.getMessage());
        }
        return true;
    }

    /** Follows a channel (the newest messages first) instead of the one followed so far. */
    private void join(String name) {
        ChannelFeed next = ChannelFeed.fromNewest(client, sesskey, name, BACKLOG, message -> show(message.display()),
                this::show); // first: for a channel that does not exist this fails, and nothing changes
        ChannelFeed previous = feed;
        if (previous != null) {
            previous.close();
        }
        channel = name;
        feed = next;
        next.whenEnded(end -> {
            if (end == ChannelFeed.End.SESSION_ENDED) {
                show("your session has ended or expired; /quit and log on again");
            }
        });
        next.start();
    }

    private String prompt() {
        String current = channel;
        return (current == null ? "" : "[" + current + "] ") + username + "> ";
    }

    private void show(String line) {
        reader.printAbove(line);
    }
}
