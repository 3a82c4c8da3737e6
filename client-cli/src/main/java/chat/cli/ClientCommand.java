package chat.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * What every command shares: the root's options, a client for the chosen server, the stored session, and
 * output to the command line's streams (so tests can capture them). Commands implement {@link #run}.
 *
 * <p>The annotation here is inherited by every command (picocli reads a superclass's {@code @Command}), so that
 * {@code chat post --version} answers as {@code chat --version} does.
 */
@Command(versionProvider = ClientVersion.class, sortOptions = false)
public abstract class ClientCommand implements Callable<Integer> {
    private static final Gson JSON = new GsonBuilder().disableHtmlEscaping().create();

    @ParentCommand
    private ChatCommand parent;

    @Spec
    CommandSpec spec;

    /** The root command, which holds the shared options. */
    protected ChatCommand root() {
        return parent;
    }

    @Override
    public final Integer call() {
        try (ChatClient client = new ChatClient(root().server().text(), this::notice)) {
            return run(client);
        }
    }

    abstract int run(ChatClient client);

    SessionFile sessions() {
        return new SessionFile(root().configDir);
    }

    SessionFile.Session session(ChatClient client) {
        return sessions().require(client.server());
    }

    boolean json() {
        return root().json;
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** A line for the person rather than the script reading stdout (a wait, a reconnection): on stderr. */
    synchronized void notice(String line) {
        new ErrorReport(spec.commandLine().getErr(), json()).notice(line);
    }

    /** For people, the text; for scripts (--json), the protocol's data as is. */
    int print(String forPeople, JsonElement data) {
        out().println(json() ? JSON.toJson(data) : forPeople);
        out().flush();
        return ExitCode.OK;
    }
}
