package chat.cli;

import com.google.gson.JsonPrimitive;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "create", description = "Create a channel.")
final class CreateCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The channel's name")
    String channel;

    @Override
    int run(ChatClient client) {
        client.create(session(client).sesskey(), channel);
        return print("created " + channel, new JsonPrimitive(true));
    }
}
