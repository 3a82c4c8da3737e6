package chat.cli;

import com.google.gson.JsonPrimitive;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "last", description = "Print the id of a channel's newest message (0 when it has none).")
final class LastCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "CHANNEL", description = "The channel")
    String channel;

    @Override
    int run(ChatClient client) {
        long id = client.lastMessage(session(client).sesskey(), channel);
        return print(Long.toString(id), new JsonPrimitive(id));
    }
}
