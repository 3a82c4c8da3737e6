package chat.config;

import java.time.Duration;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One thing the server can be told, declared once in {@link Settings}: its flag and environment variable, its
 * default as a user would write it, what it means, how its text becomes a value and which values it allows.
 * Everything else is derived from it: the {@code --help} of Main, the defaults of {@link Config}, its validation,
 * and (checked by a test) the README's configuration table. A typed key, as XNIO's {@code Option<T>} is: a
 * {@code Setting<Duration>} reads back a Duration from a Config, without a cast.
 *
 * @param <T> the type of its value: Integer, Long (a number or a size in bytes), Duration, Rate, Boolean or String
 */
public final class Setting<T> {
    private final String flag;
    private final String environmentVariable;
    private final String defaultText;
    private final String description;
    private final String valueLabel;
    private final Class<T> type;
    private final Function<String, T> parser;
    private final Predicate<? super T> rule;
    private final Function<? super T, String> problem;
    private final T defaultValue;

    private Setting(String flag, String environmentVariable, String defaultText, String description,
                    String valueLabel, Class<T> type, Function<String, T> parser, Predicate<? super T> rule,
                    Function<? super T, String> problem) {
        this.flag = flag;
        this.environmentVariable = environmentVariable;
        this.defaultText = defaultText;
        this.description = description;
        this.valueLabel = valueLabel;
        this.type = type;
        this.parser = parser;
        this.rule = rule;
        this.problem = problem;
        this.defaultValue = parser.apply(defaultText); // a default that does not parse fails as Settings loads
    }

    /** A whole number that fits an int. */
    static Setting<Integer> ofInt(String flag, String environmentVariable, String defaultText, String description) {
        return of(flag, environmentVariable, defaultText, description, "<n>", Integer.class,
                Setting::intNumber);
    }

    /** A whole number that fits a long. */
    static Setting<Long> ofLong(String flag, String environmentVariable, String defaultText, String description) {
        return of(flag, environmentVariable, defaultText, description, "<n>", Long.class, Setting::wholeNumber);
    }

    /** A size in bytes written 65536, 64k, 256m or 1g. */
    static Setting<Long> ofBytes(String flag, String environmentVariable, String defaultText, String description) {
        return of(flag, environmentVariable, defaultText, description, "<size>", Long.class, ByteSizes::parse);
    }

    /** A duration written 500ms, 10s, 30m, 2h, 1d or PT30M. */
    static Setting<Duration> ofDuration(String flag, String environmentVariable, String defaultText,
                                        String description) {
        return of(flag, environmentVariable, defaultText, description, "<duration>", Duration.class,
                Durations::parse);
    }

    /** A token bucket's shape written BURST,INTERVAL ({@code 30,1s}), or {@code off}: a rate limit. */
    static Setting<Rate> ofRate(String flag, String environmentVariable, String defaultText, String description) {
        return of(flag, environmentVariable, defaultText, description, "<rate>", Rate.class, Rate::parse);
    }

    /** {@code true} or {@code false}, written out: a switch ({@code --web false}). */
    static Setting<Boolean> ofBoolean(String flag, String environmentVariable, String defaultText,
                                      String description) {
        return of(flag, environmentVariable, defaultText, description, "<boolean>", Boolean.class,
                Setting::trueOrFalse);
    }

    /** Text, taken as it is. */
    static Setting<String> ofText(String flag, String environmentVariable, String defaultText, String description) {
        return of(flag, environmentVariable, defaultText, description, "<text>", String.class, text -> text);
    }

    private static <T> Setting<T> of(String flag, String environmentVariable, String defaultText, String description,
                                     String valueLabel, Class<T> type, Function<String, T> parser) {
        return new Setting<>(flag, environmentVariable, defaultText, description, valueLabel, type, parser,
                value -> true, value -> "");
    }

    /**
     * This setting, allowing only the values that pass {@code rule}; any other fails {@link Config.Builder#build()}
     * with {@code problem}'s message. A rule may instead throw IllegalArgumentException itself when it knows a more
     * precise reason (the store's URL does). The default must pass: a declaration whose default does not fails as
     * Settings loads.
     */
    Setting<T> requires(Predicate<? super T> rule, Function<? super T, String> problem) {
        Setting<T> checked = new Setting<>(flag, environmentVariable, defaultText, description, valueLabel, type,
                parser, rule, problem);
        checked.check(checked.defaultValue);
        return checked;
    }

    /** The flag, e.g. {@code --port}. */
    public String flag() {
        return flag;
    }

    /** The environment variable read when the flag is not given, e.g. {@code CHAT_PORT}. */
    public String environmentVariable() {
        return environmentVariable;
    }

    /** The default as a user writes it, e.g. {@code 30s}: what --help and the README show. */
    public String defaultText() {
        return defaultText;
    }

    /** What it means, in the README's words; `backticks` mark literal text, as in Markdown. */
    public String description() {
        return description;
    }

    /** What the help shows after the flag: {@code <n>}, {@code <size>}, {@code <duration>} or {@code <text>}. */
    public String valueLabel() {
        return valueLabel;
    }

    public Class<T> type() {
        return type;
    }

    /** The value that text stands for; throws IllegalArgumentException saying what was expected. */
    public T parse(String text) {
        return parser.apply(text);
    }

    T defaultValue() {
        return defaultValue;
    }

    /** Throws IllegalArgumentException with this setting's message unless the value is one it allows. */
    void check(T value) {
        if (!rule.test(value)) {
            throw new IllegalArgumentException(problem.apply(value));
        }
    }

    private static long wholeNumber(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a whole number: '" + text + "'");
        }
    }

    private static boolean trueOrFalse(String text) {
        return switch (text.trim()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("neither true nor false: '" + text + "'");
        };
    }

    private static int intNumber(String text) {
        long number = wholeNumber(text);
        if (number != (int) number) {
            throw new IllegalArgumentException("too large a number: '" + text + "'");
        }
        return (int) number;
    }

    @Override
    public String toString() {
        return flag;
    }
}
