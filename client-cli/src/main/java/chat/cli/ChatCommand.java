package chat.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code chat}: the root command. Holds the options every subcommand shares (they may be given before or after
 * the subcommand's name); with no subcommand, opens the interactive session.
 *
 * <p>{@code --help}/{@code -h} and {@code --version}/{@code -V}: picocli's standard options here, and on every
 * subcommand the same two added by {@link #addHelpOptions}, checked before a command's parameters (so
 * {@code chat post -h} shows help rather than "Missing required parameter").
 */
@Command(name = "chat", mixinStandardHelpOptions = true,
        description = "A terminal client for the chat server: log on, list channels, read, post, and chat live.",
        subcommands = {LogonCommand.class, LogoffCommand.class, ChannelsCommand.class, CreateCommand.class,
                PostCommand.class, LastCommand.class, ReadCommand.class, TailCommand.class, JoinCommand.class,
                HelpCommand.class},
        footer = {"", "With no command, opens the interactive session (as `chat join` without a channel).",
                "`chat help COMMAND` or `chat COMMAND --help` shows a command's usage.", ExitCode.HELP})
public final class ChatCommand extends ClientCommand {
    // Kept as written and parsed when a command runs (server()), not by a picocli converter: picocli converts the
    // default too, so a bad CHAT_SERVER would refuse even --help and --version, which explain it.
    @Option(names = "--server", scope = ScopeType.INHERIT, paramLabel = "URL",
            defaultValue = "${env:CHAT_SERVER:-http://localhost:8080}",
            description = {"The server [CHAT_SERVER]; http:// is assumed when no scheme is given (localhost:8080)",
                    "(default: ${DEFAULT-VALUE})"})
    String server;

    @Option(names = "--json", scope = ScopeType.INHERIT,
            description = "Print the protocol's data as JSON, for scripts; errors too, as one JSON object on stderr")
    boolean json;

    @Option(names = "--no-color", scope = ScopeType.INHERIT,
            description = "No colours in join (none either when NO_COLOR is set or output is not a terminal)")
    boolean noColor;

    @Option(names = "--config-dir", scope = ScopeType.INHERIT, paramLabel = "DIR",
            defaultValue = "${env:CHAT_CONFIG_DIR:-${sys:user.home}/.config/chat}",
            description = {"Where your sessions (sessions.json, one per server) and join's input history are kept "
                    + "[CHAT_CONFIG_DIR]", "(default: ${DEFAULT-VALUE})"})
    Path configDir;

    @Override
    protected ChatCommand root() {
        return this;
    }

    @Override
    int run(ChatClient client) {
        return new InteractiveSession(this, client, List.of()).run();
    }

    /**
     * Gives every subcommand but picocli's help (it has a -h of its own) --help/-h and --version/-V. Built here,
     * not by {@code mixinStandardHelpOptions} on each: that reflects over a mixin for each command on every start,
     * which cost a one-shot command 40 to 80 ms of CPU time (BENCHMARKS.md); a built option costs next to nothing.
     */
    static void addHelpOptions(CommandLine root) {
        for (CommandLine command : root.getSubcommands().values()) {
            CommandSpec spec = command.getCommandSpec();
            if (spec.userObject() instanceof HelpCommand) {
                continue;
            }
            spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true)
                    .description("Show this help message and exit.").build());
            spec.addOption(OptionSpec.builder("-V", "--version").versionHelp(true)
                    .description("Print version information and exit.").build());
        }
    }

    /** --server or CHAT_SERVER, normalised; a usage error (exit 2) naming them and what they expect. */
    ServerUrl server() {
        try {
            return ServerUrl.parse(server);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCode.USAGE, e.getMessage());
        }
    }
}
