package chat.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "join", description = {"Chat in a channel interactively: new messages appear as they arrive, the "
        + "lines you type are posted.", "In the session: /join NAME, /channels, /create NAME, /help, /quit."})
final class JoinCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "CHANNEL", arity = "0..1", description = "The channel to join")
    String channel;

    @Override
    int run(ChatClient client) {
        return new InteractiveSession(root(), client, channel).run();
    }
}
