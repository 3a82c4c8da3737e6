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
        ChatCommand.addHelpOptions(commandLine);
        commandLine.setOut(out);
        commandLine.setErr(err);
        // 100 columns, not picocli's 80, and for every command (help too): at 80 the options' defaults, a URL and a
        // path, were broken across lines. Each default has a line of its own in the descriptions besides.
        commandLine.setUsageHelpWidth(100);
        ErrorReport errors = new ErrorReport(err, ErrorReport.asksForJson(args));
        commandLine.setParameterExceptionHandler((e, words) -> errors.usage(e));
        commandLine.setExecutionExceptionHandler((e, line, parsed) -> errors.failure(e));
        return commandLine.execute(args);
    }
}
