package chat.server;

import chat.config.Config;
import chat.config.Setting;
import chat.config.Settings;
import chat.log.LogSetup;
import chat.metrics.BuildInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;
import sun.misc.Signal;


import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * The command line: flags, else CHAT_* environment variables, else defaults, into one {@link Config}; then the
 * server runs until SIGTERM or SIGINT, shuts down gracefully and exits 0. The only caller of System.exit.
 * Its options are made from {@link Settings#ALL}, one per setting, so that none is written here.
 */
@Command(name = "chat-server", sortOptions = false,
        description = "A chat server speaking the JSON protocol of spec/protocol.md.",
        footer = {"Every option can also be set by the environment variable in brackets.",
                "Durations are written 500ms, 10s, 30m, 2h, 1d or PT30M."})
public final class Main implements Callable<Integer> {
    static final int EXIT_OK = 0;
    static final int EXIT_FAILED_TO_START = 1;
    static final int EXIT_USAGE = 2;

    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private final Map<String, String> environment;
    private final Map<Setting<?>, OptionSpec> options = new LinkedHashMap<>();
    private final CommandLine commandLine;

    /** @param environment where CHAT_* variables are looked up: System.getenv() when run, a map in tests */
    Main(Map<String, String> environment) {
        this.environment = environment;
        CommandSpec spec = CommandSpec.forAnnotatedObject(this);
        for (Setting<?> setting : Settings.ALL) {
            OptionSpec option = option(setting);
            spec.addOption(option);
            options.put(setting, option);
        }
        spec.mixinStandardHelpOptions(true); // --help and --version, after the settings as they always were
        BuildInfo build = BuildInfo.read();
        spec.versionProvider(() -> new String[] {"chat-server " + build.version() + " (commit " + build.commit() + ")"});
        this.commandLine = new CommandLine(spec).setParameterExceptionHandler(Main::usageError);
    }

    /**
     * An option without a default of its own: a flag not given stays null, so that {@link #config()} can tell it
     * from one given with the default's value, and fall back to the environment.
     */
    private static <T> OptionSpec option(Setting<T> setting) {
        return OptionSpec.builder(setting.flag())
                .type(setting.type())
                .arity("1") // a value every time, a Boolean's too: picocli would make --web a bare flag
                .paramLabel(setting.valueLabel())
                .converters(text -> parse(setting, text))
                .description(setting.description().replace("`", "") + " [" + setting.environmentVariable()
                        + "] (default: " + setting.defaultText() + ")")
                .build();
    }

    private static <T> T parse(Setting<T> setting, String text) {
        try {
            return setting.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }

    /** A mistake on the command line: a line saying what, where to look, and exit code 2. */
    private static int usageError(ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        err.println("chat-server: " + e.getMessage());
        if (e instanceof UnmatchedArgumentException unmatched) {
            UnmatchedArgumentException.printSuggestions(unmatched, err);
        }
        err.println("Try 'chat-server --help' for the options.");
        return EXIT_USAGE;
    }

    public static void main(String[] args) {
        // Undertow logs through jboss-logging; send it to slf4j like everything else.
        System.setProperty("org.jboss.logging.provider", "slf4j");
        System.exit(new Main(System.getenv()).commandLine.execute(args));
    }

    CommandLine commandLine() {
        return commandLine;
    }

    /**
     * Each setting from its flag, else its environment variable (an empty one counts as unset), else its default;
     * after {@link CommandLine#parseArgs}. Throws IllegalArgumentException saying what is wrong.
     */
    Config config() {
        Config.Builder config = Config.defaults();
        for (Setting<?> setting : Settings.ALL) {
            set(config, setting);
        }
        return config.build();
    }

    private <T> void set(Config.Builder config, Setting<T> setting) {
        T flag = options.get(setting).getValue();
        String variable = environment.get(setting.environmentVariable());
        if (flag != null) {
            config.with(setting, flag);
        } else if (variable != null && !variable.isEmpty()) {
            T value;
            try {
                value = setting.parse(variable);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Invalid value for environment variable "
                        + setting.environmentVariable() + ": " + e.getMessage(), e);
            }
            config.with(setting, value);
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        Config config;
        try {
            config = config();
        } catch (IllegalArgumentException e) {
            commandLine.getErr().println("chat-server: " + e.getMessage());
            return EXIT_USAGE;
        }
        String instance = config.get(Settings.INSTANCE).isEmpty()
                ? hostName() + ":" + config.get(Settings.PORT) : config.get(Settings.INSTANCE);
        String accessLog = config.get(Settings.ACCESS_LOG);
        LogSetup.apply(config.get(Settings.LOG_FORMAT).equals("json"), config.get(Settings.LOG_LEVEL), instance,
                accessLog.isEmpty() ? null : accessLog);
        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), signal -> stop.countDown());
        Signal.handle(new Signal("INT"), signal -> stop.countDown());
        ChatServer server;
        try {
            server = ChatServer.start(config);
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            log.error("cannot listen on {}:{}: {}", config.get(Settings.HOST), config.get(Settings.PORT),
                    cause.getMessage());
            return EXIT_FAILED_TO_START;
        }
        if (config.get(Settings.INSTANCE).isEmpty() && config.get(Settings.PORT) == 0) {
            LogSetup.instance(hostName() + ":" + server.port()); // the port picked
        }
        stop.await();
        log.info("shutting down");
        server.close();
        return EXIT_OK;
    }

    /** This machine's name, for the default instance name; "localhost" when it has none that resolves. */
    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
