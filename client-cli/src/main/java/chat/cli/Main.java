package chat.cli;

import picocli.CommandLine;

import java.io.PrintWriter;

/** Entry point: runs the command line and exits with its code. The only caller of System.exit. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs a command with the given output streams and returns its exit code (tests call this). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new ChatCommand());
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((e, line, parsed) -> {
            if (e instanceof CliException cli) {
                err.println("error: " + cli.getMessage());
                err.flush();
                return cli.exitCode();
            }
            err.println("error: " + e);
            err.flush();
            return ExitCode.REFUSED;
        });
        return commandLine.execute(args);
    }
}
