package chat.cli;

/** The exit codes of every command, in one place; `chat --help` lists them. */
public final class ExitCode {
    /** The command did what was asked. */
    public static final int OK = 0;
    /** The server refused the call (its reason is printed), or no session is stored for this server. */
    public static final int REFUSED = 1;
    /** The command line was wrong. */
    public static final int USAGE = 2;
    /** The server could not be reached. */
    public static final int UNREACHABLE = 3;

    static final String HELP = "%nExit codes: 0 ok, 1 the server refused (or log on first), 2 usage, 3 server unreachable.";

    private ExitCode() {
    }
}
