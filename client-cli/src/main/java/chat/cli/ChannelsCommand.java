package chat.cli;

import com.google.gson.JsonElement;
import picocli.CommandLine.Command;

import java.util.ArrayList;
import java.util.List;

@Command(name = "channels", description = "List the channels, oldest first.")
final class ChannelsCommand extends ClientCommand {
    @Override
    int run(ChatClient client) {
        JsonElement names = client.channels(session(client).sesskey());
        List<String> lines = new ArrayList<>();
        names.getAsJsonArray().forEach(name -> lines.add(name.getAsString()));
        return print(lines.isEmpty() ? "(no channels yet: chat create NAME)" : String.join(System.lineSeparator(), lines),
                names);
    }
}
