package chat.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code chat}: the root command. Holds the options every subcommand shares (they may be given before or after
 * the subcommand's name); with no subcommand, opens the interactive session.
 */
@Command(name = "chat", mixinStandardHelpOptions = true, sortOptions = false,
        description = "A terminal client for the chat server: log on, list channels, read, post, and chat live.",
        subcommands = {LogonCommand.class, LogoffCommand.class, ChannelsCommand.class, CreateCommand.class,
                PostCommand.class, LastCommand.class, ReadCommand.class, TailCommand.class, JoinCommand.class},
        footer = {"", "With no command, opens the interactive session (as `chat join` without a channel).",
                ExitCode.HELP})
public final class ChatCommand extends ClientCommand {
    @Option(names = "--server", scope = ScopeType.INHERIT, defaultValue = "${env:CHAT_SERVER:-http://localhost:8080}",
            description = "The server's URL [CHAT_SERVER] (default: ${DEFAULT-VALUE})")
    String server;

    @Option(names = "--json", scope = ScopeType.INHERIT,
            description = "Print the protocol's data as JSON, for scripts")
    boolean json;

    @Option(names = "--no-color", scope = ScopeType.INHERIT,
            description = "No colours in join (none either when NO_COLOR is set or output is not a terminal)")
    boolean noColor;

    @Option(names = "--config-dir", scope = ScopeType.INHERIT, hidden = true,
            defaultValue = "${env:CHAT_CONFIG_DIR:-${sys:user.home}/.config/chat}",
            description = "Where sessions.json and the input history live [CHAT_CONFIG_DIR]")
    Path configDir;

    @Override
    protected ChatCommand root() {
        return this;
    }

    @Override
    int run(ChatClient client) {
        return new InteractiveSession(this, client, List.of()).run();
    }
}
