package chat.limit;

import chat.config.Config;
import chat.config.Rate;
import chat.config.Settings;

/**
 * Every rate limit of the server, as configured (README, "Rate limits", says why each default is what it is).
 * The first two are a session's, charged inside the store's session check (one round trip on Redis); the rest are
 * logon's ({@link LogonLimits}).
 */
public record RateLimits(RateLimit calls, RateLimit posts, RateLimit logons, RateLimit registrations,
                         RateLimit failedLogons, RateLimit failedLogonsOfUser, RateLimit failedLogonsOfClient) {

    /** Every limit off: for tests of other things, and tools. */
    public static final RateLimits NONE = of(Rate.OFF, Rate.OFF, Rate.OFF, Rate.OFF, Rate.OFF, Rate.OFF, Rate.OFF);

    public static RateLimits from(Config config) {
        return of(config.get(Settings.RATE_CALLS), config.get(Settings.RATE_POSTS), config.get(Settings.RATE_LOGONS),
                config.get(Settings.RATE_REGISTRATIONS), config.get(Settings.RATE_FAILED_LOGONS),
                config.get(Settings.RATE_FAILED_LOGONS_USER), config.get(Settings.RATE_FAILED_LOGONS_CLIENT));
    }

    private static RateLimits of(Rate calls, Rate posts, Rate logons, Rate registrations, Rate failed,
                                 Rate failedOfUser, Rate failedOfClient) {
        return new RateLimits(
                new RateLimit("calls", calls, "this session has made calls too fast"),
                new RateLimit("posts", posts, "this session has posted too fast"),
                new RateLimit("logons", logons, "too many logons from your address"),
                new RateLimit("registrations", registrations, "too many new users registered from your address"),
                new RateLimit("failed-logons", failed, "too many wrong passwords for %s from your address"),
                new RateLimit("failed-logons-user", failedOfUser, "too many wrong passwords for %s"),
                new RateLimit("failed-logons-client", failedOfClient, "too many wrong passwords from your address"));
    }

    /** For the start-up line. */
    public String describe() {
        return "rate limits: calls " + calls.rate() + ", posts " + posts.rate() + " per session; logons "
                + logons.rate() + ", registrations " + registrations.rate() + " per address; wrong passwords "
                + failedLogons.rate() + " per user and address, " + failedLogonsOfUser.rate() + " per user, "
                + failedLogonsOfClient.rate() + " per address";
    }
}
