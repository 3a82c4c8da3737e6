package chat.cli;

import com.google.gson.JsonPrimitive;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

@Command(name = "logon", description = "Log on (the first logon of a name registers it) and remember the session.")
final class LogonCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "USER", description = "Your username")
    String username;

    @Option(names = "--password-stdin", description = "Read the password from the first line of standard input")
    boolean passwordFromStdin;

    @Option(names = "--password-env", hidden = true, defaultValue = "${env:CHAT_PASSWORD}",
            description = "The password, from CHAT_PASSWORD")
    String passwordFromEnvironment;

    @Override
    int run(ChatClient client) {
        long key = client.logon(username, password());
        sessions().store(client.server(), new SessionFile.Session(username, key));
        return print("logged on to " + client.server() + " as " + username, new JsonPrimitive(key));
    }

    private String password() {
        if (passwordFromStdin) {
            try {
                String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                if (line == null) {
                    throw new CliException(ExitCode.USAGE, "--password-stdin: standard input is empty");
                }
                return line;
            } catch (IOException e) {
                throw new CliException(ExitCode.USAGE, "--password-stdin: " + e.getMessage());
            }
        }
        if (passwordFromEnvironment != null) {
            return passwordFromEnvironment;
        }
        Console console = System.console();
        if (console == null) {
            throw new CliException(ExitCode.USAGE,
                    "no terminal to ask for the password: use --password-stdin or set CHAT_PASSWORD");
        }
        char[] typed = console.readPassword("password for %s: ", username);
        if (typed == null) {
            throw new CliException(ExitCode.USAGE, "no password given");
        }
        return new String(typed);
    }
}
