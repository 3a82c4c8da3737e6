package chat.cli;

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
        if (json()) {
            throw new CliException(ExitCode.USAGE, "tail prints messages as they come; use read --json for scripts");
        }
        long key = session(client).sesskey();
        long after = Math.max(0, client.lastMessage(key, channel) - Math.max(0, backlog));
        PushFollower.Stop stop;
        try (PushFollower push = new PushFollower(client.server(), key, channel, after, this::show,
                notice -> spec.commandLine().getErr().println(notice))) {
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

    private synchronized void show(String line) {
        out().println(line);
        out().flush();
    }

    /** For servers without /ws: poll once a second. */
    private int poll(ChannelFollower follower) {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                follower.poll().forEach(this::show);
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
