package chat.cli;

import com.google.gson.JsonObject;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintWriter;

/**
 * The one place a failure becomes what the user reads on stderr, and its exit code. For people:
 * {@code error: <reason>} (made inert, since a reason may quote the server's text), and for a usage error where to
 * read the usage. With {@code --json}: one JSON object, {@code {"error": CODE, "message": REASON, "exit": N}}, CODE
 * being the server's error code when the server refused, else one of the client's own (see {@link #codeOf}).
 */
final class ErrorReport {
    private final PrintWriter err;
    private final boolean json;

    ErrorReport(PrintWriter err, boolean json) {
        this.err = err;
        this.json = json;
    }

    /**
     * Whether the command line asks for --json. Read from the words themselves because a usage error can stop the
     * parse before it reaches the option; words after "--" are operands, not options.
     */
    static boolean asksForJson(String[] args) {
        for (String arg : args) {
            if (arg.equals("--")) {
                return false;
            }
            if (arg.equals("--json")) {
                return true;
            }
        }
        return false;
    }

    /** A command line picocli could not make sense of: exit 2. */
    int usage(ParameterException e) {
        if (json) {
            return write(ErrorCodes.USAGE, e.getMessage(), ExitCode.USAGE);
        }
        err.println("error: " + TerminalText.inline(e.getMessage()));
        if (e instanceof UnmatchedArgumentException unmatched) {
            UnmatchedArgumentException.printSuggestions(unmatched, err);
        }
        CommandLine command = e.getCommandLine();
        err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help' for the usage.");
        err.flush();
        return ExitCode.USAGE;
    }

    /** What a command threw: our own error with its exit code, or (a bug) anything else, exit 1. */
    int failure(Exception e) {
        if (e instanceof CliException cli) {
            return write(codeOf(cli), cli.getMessage(), cli.exitCode());
        }
        return write(ErrorCodes.INTERNAL, e.toString(), ExitCode.REFUSED);
    }

    /** A line a person should know while the command goes on (a wait, a retry): a JSON object too with --json. */
    void notice(String line) {
        if (json) {
            JsonObject object = new JsonObject();
            object.addProperty("notice", line);
            err.println(object);
        } else {
            err.println(TerminalText.inline(line));
        }
        err.flush();
    }

    /**
     * The server's code (INVALID_SESSION, CHANNEL_NOT_FOUND, RATE_LIMITED, ...) when it refused; else the client's own:
     * NOT_LOGGED_ON (no session stored for this server) or another set where it was thrown, else by exit code:
     * USAGE (2), UNREACHABLE (3), FAILED (1: something on this machine, as an unreadable session file).
     */
    static String codeOf(CliException e) {
        if (e.errorCode() != null) {
            return e.errorCode();
        }
        return switch (e.exitCode()) {
            case ExitCode.USAGE -> ErrorCodes.USAGE;
            case ExitCode.UNREACHABLE -> ErrorCodes.UNREACHABLE;
            default -> ErrorCodes.FAILED;
        };
    }

    private int write(String code, String message, int exit) {
        if (json) {
            JsonObject object = new JsonObject();
            object.addProperty("error", code);
            object.addProperty("message", message);
            object.addProperty("exit", exit);
            err.println(object);
        } else {
            err.println("error: " + TerminalText.inline(message));
        }
        err.flush();
        return exit;
    }
}
