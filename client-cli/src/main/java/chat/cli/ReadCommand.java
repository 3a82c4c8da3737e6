package chat.cli;

import com.google.gson.JsonElement;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;

@Command(name = "read", description = "Print messages of a channel: the newest 20 by default.")
final class ReadCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "CHANNEL", description = "The channel")
    String channel;

    @ArgGroup(exclusive = true)
    Range range;

    static final class Range {
        @ArgGroup(exclusive = false)
        Between between;

        @Option(names = "--last", paramLabel = "N", description = "The newest N messages (default 20)")
        Integer last;
    }

    static final class Between {
        @Option(names = "--from", paramLabel = "ID", required = true, description = "The first id")
        long from;

        @Option(names = "--to", paramLabel = "ID", description = "The last id (default: the newest)")
        Long to;
    }

    @Override
    int run(ChatClient client) {
        long key = session(client).sesskey();
        long first;
        long last;
        if (range != null && range.between != null) {
            first = range.between.from;
            last = range.between.to != null ? range.between.to : client.lastMessage(key, channel);
        } else {
            int count = range != null && range.last != null ? range.last : 20;
            if (count < 1) {
                throw new CliException(ExitCode.USAGE, "--last must be at least 1");
            }
            last = client.lastMessage(key, channel);
            first = Math.max(1, last - count + 1);
        }
        JsonElement raw = client.retrieveRaw(key, channel, first, last);
        List<String> lines = new ArrayList<>();
        raw.getAsJsonArray().forEach(m -> lines.add(Message.from(m.getAsJsonObject()).display()));
        return print(lines.isEmpty() ? "(no messages)" : String.join(System.lineSeparator(), lines), raw);
    }
}
