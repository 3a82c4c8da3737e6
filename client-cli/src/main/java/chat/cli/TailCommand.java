package chat.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "tail", description = "Print new messages of a channel as they arrive, until interrupted (Ctrl-C).")
final class TailCommand extends ClientCommand {
    /** The protocol is polled; once a second keeps the load of an idle follower negligible. */
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
        ChannelFollower follower = ChannelFollower.fromNewest(client, session(client).sesskey(), channel,
                Math.max(0, backlog));
        while (!Thread.currentThread().isInterrupted()) {
            try {
                follower.poll().forEach(out()::println);
                out().flush();
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
