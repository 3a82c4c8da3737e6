package chat.cli;

import com.google.gson.JsonPrimitive;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

@Command(name = "post", description = "Post a message: the words given, or standard input when there are none.")
final class PostCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "CHANNEL", description = "The channel")
    String channel;

    @Parameters(index = "1..*", paramLabel = "TEXT", description = "The message (default: standard input)")
    List<String> words;

    @Override
    int run(ChatClient client) {
        String text;
        if (words == null || words.isEmpty()) {
            if (StandardInput.isTerminal()) {
                // Else a person who forgot the text sees nothing happen and thinks it hung.
                notice("reading the message from standard input; end with Ctrl-D (Ctrl-C to cancel)");
            }
            text = standardInput();
        } else {
            text = String.join(" ", words);
        }
        client.post(session(client).sesskey(), channel, text);
        return print("posted to " + channel, new JsonPrimitive(true));
    }

    private static String standardInput() {
        try {
            String text = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
            // A file or echo ends with a newline that is not part of the message.
            return text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                    : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        } catch (IOException e) {
            throw new CliException(ExitCode.USAGE, "cannot read the message from standard input: " + e.getMessage());
        }
    }
}
