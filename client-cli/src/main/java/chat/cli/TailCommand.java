package chat.cli;

import com.google.gson.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "tail", description = "Print new messages of a channel as they arrive, until interrupted (Ctrl-C).")
final class TailCommand extends ClientCommand {
    /** Without a WebSocket the protocol is polled; once a second keeps an idle follower's load negligible. */
    static final long POLL_MILLIS = 1_000;

    @Parameters(index = "0", paramLabel = "CHANNEL", description = "The channel")
    String channel;

    @Option(names = "--last", paramLabel = "N", defaultValue = "10",
            description = "Show the newest N messages first (default: ${DEFAULT-VALUE})")
    int backlog;

    @Override
    int run(ChatClient client) {
        long key = session(client).sesskey();
        long after = Math.max(0, client.lastMessage(key, channel) - Math.max(0, backlog));
        PushFollower.Stop stop;
        try (PushFollower push = new PushFollower(listener -> client.openWebSocket(key, listener), channel, after,
                this::show, this::notice)) {
            push.start();
            stop = push.await();
        } catch (InterruptedException e) {
            return ExitCode.OK; // Ctrl-C, or a test stopping us
        }
        return switch (stop) {
            case SESSION_ENDED -> throw new CliException(ExitCode.REFUSED,
                    "your session has ended or expired; log on again (chat logon USER)");
            case NO_WEBSOCKET -> poll(new ChannelFollower(client, key, channel, after));
            case CLOSED -> ExitCode.OK;
        };
    }

    /** For people {@code [42] alice: hello}; with --json one protocol message object a line (NDJSON). */
    private synchronized void show(Message message) {
        if (json()) {
            JsonObject object = new JsonObject();
            object.addProperty("messageid", message.id());
            object.addProperty("username", message.username());
            object.addProperty("message", message.text());
            out().println(object);
        } else {
            out().println(message.display());
        }
        out().flush();
    }

    private synchronized void notice(String line) {
        spec.commandLine().getErr().println(line);
        spec.commandLine().getErr().flush();
    }

    private void showPolled(ChannelFollower.Line line) {
        if (line.message() != null) {
            show(line.message());
        } else {
            notice(line.notice());
        }
    }

    /** For servers without /ws: poll once a second. */
    private int poll(ChannelFollower follower) {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                follower.poll().forEach(this::showPolled);
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                break;
            } catch (CliException e) {
                if (Thread.currentThread().isInterrupted()) {
                    break; // interrupted in the middle of a call
                }
                throw e;
            }
        }
        return ExitCode.OK;
    }
}
