package chat.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;

@Command(name = "join", description = {"Chat interactively in one or more channels at once: their messages appear as "
        + "they arrive, each with its channel; the lines you type are posted to the current one (the first named).",
        "In the session: /join NAME, /leave NAME, /switch NAME (or /1, /2, ...), /who, /me ACTION, /channels, "
                + "/create NAME, /help, /quit. //text posts /text."})
final class JoinCommand extends ClientCommand {
    @Parameters(paramLabel = "CHANNEL", arity = "0..*", description = "The channels to follow")
    List<String> channels = List.of();

    @Override
    int run(ChatClient client) {
        return new InteractiveSession(root(), client, channels).run();
    }
}
