package chat.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "tail", description = "Print new messages of a channel as they arrive, until interrupted (Ctrl-C).")
final class TailCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "CHANNEL", description = "The channel")
    String channel;

    @Option(names = "--last", paramLabel = "N", defaultValue = "10",
            description = "Show the newest N messages first (default: ${DEFAULT-VALUE})")
    int backlog;

    @Override
    int run(ChatClient client) {
        long key = session(client).sesskey();
        ChannelFeed.End end;
        try (ChannelFeed feed = ChannelFeed.fromNewest(client, key, channel, backlog, this::show, this::notice)) {
            feed.start();
            end = feed.await();
        } catch (InterruptedException e) {
            return ExitCode.OK; // Ctrl-C, or a test stopping us
        }
        return switch (end) {
            case SESSION_ENDED -> throw new CliException(ExitCode.REFUSED,
                    "your session has ended or expired; log on again (chat logon USER)", ErrorCodes.INVALID_SESSION);
            case CLOSED -> ExitCode.OK;
        };
    }

    /** For people {@code [42] alice: hello}; with --json one protocol message object a line (NDJSON). */
    private synchronized void show(Message message) {
        if (json()) {
            out().println(message.json()); // as the server sent it: every field, time too, and any new one
        } else {
            out().println(message.display());
        }
        out().flush();
    }
}
