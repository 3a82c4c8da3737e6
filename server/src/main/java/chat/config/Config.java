package chat.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the server is told, built once (by Main from flags, then environment variables, then defaults; by
 * tests directly) and never changed. Every setting of {@link Settings#ALL} has a value, each one it allows:
 * <pre>{@code
 * Config config = Config.defaults().with(Settings.PORT, 0).with(Settings.BCRYPT_COST, 4).build();
 * int port = config.get(Settings.PORT);
 * }</pre>
 */
public final class Config {
    private final Map<Setting<?>, Object> values;

    private Config(Map<Setting<?>, Object> values) {
        this.values = values;
    }

    /** A builder holding every setting's default, parsed from the text {@link Settings} declares. */
    public static Builder defaults() {
        return new Builder();
    }

    /** The value of one setting. */
    public <T> T get(Setting<T> setting) {
        return setting.type().cast(known(values, setting));
    }

    private static Object known(Map<Setting<?>, Object> values, Setting<?> setting) {
        Object value = values.get(setting);
        if (value == null) {
            throw new IllegalArgumentException(setting + " is not one of Settings.ALL");
        }
        return value;
    }

    /** Setting by setting; the ones not given keep their defaults. */
    public static final class Builder {
        private final Map<Setting<?>, Object> values = new LinkedHashMap<>();

        private Builder() {
            for (Setting<?> setting : Settings.ALL) {
                values.put(setting, setting.defaultValue());
            }
        }

        public <T> Builder with(Setting<T> setting, T value) {
            known(values, setting);
            values.put(setting, setting.type().cast(Objects.requireNonNull(value, setting + " needs a value")));
            return this;
        }

        /** Throws IllegalArgumentException with the setting's message for the first value it does not allow. */
        public Config build() {
            for (Setting<?> setting : Settings.ALL) {
                check(setting, values.get(setting));
            }
            return new Config(Collections.unmodifiableMap(new LinkedHashMap<>(values)));
        }

        private static <T> void check(Setting<T> setting, Object value) {
            setting.check(setting.type().cast(value));
        }
    }
}
