package chat.limit;

import chat.client.Client;
import chat.error.ChatException;

import java.util.ArrayList;
import java.util.List;

/**
 * Logon's rate limits, and when each is charged. A logon takes, all or none, a token from its client's logon
 * bucket and from the three failed-logon buckets (of the username and client together, of the username, of the
 * client) before its password is checked, so that guesses made at once cannot pass a limit; a right password gives
 * the failed-logon tokens back, so only a wrong one (WRONG_PASSWORD; an invalid field never gets this far) counts.
 * A logon that registers a new user also takes its client's registration token.
 *
 * <p>An exempt client ({@code --client-limit-exempt}) skips the per-address buckets, but not the username's two:
 * a guesser on loopback is still a guesser, and the owner's right password from another address still works
 * while one address is refused. Nothing is permanent: a refused pair waits for its next token (one interval).
 */
public final class LogonLimits {
    private final RateLimits limits;
    private final Buckets buckets;

    public LogonLimits(RateLimits limits, Buckets buckets) {
        this.limits = limits;
        this.buckets = buckets;
    }

    /** A logon let through so far, whose password is about to be checked. */
    public final class Attempt {
        private final Client client;
        private final List<Charge> failureCharges;
        private boolean settled;

        private Attempt(Client client, List<Charge> failureCharges) {
            this.client = client;
            this.failureCharges = failureCharges;
        }

        /** The username is new and this logon registers it: throws RATE_LIMITED past the client's registrations. */
        public void registering() {
            if (client.exempt() || limits.registrations().isOff()) {
                return;
            }
            ChatException refused = buckets.take(List.of(charge(limits.registrations(), client.key().address(), "")));
            if (refused != null) {
                throw refused;
            }
        }

        /** The password was wrong: its tokens stay taken. */
        public void failed() {
            settled = true;
        }

        /** The logon did not fail for its password (it succeeded, or failed for something else): no guess counts. */
        public void notAGuess() {
            if (!settled) {
                settled = true;
                if (!failureCharges.isEmpty()) {
                    buckets.giveBack(failureCharges);
                }
            }
        }
    }

    /** Takes the logon's tokens, or throws RATE_LIMITED naming the limit that is empty longest. */
    public Attempt begin(String username, Client client) {
        List<Charge> failureCharges = new ArrayList<>(3);
        String address = client.key().address();
        add(failureCharges, limits.failedLogons(), address + "|" + username, username);
        add(failureCharges, limits.failedLogonsOfUser(), username, username);
        if (!client.exempt()) {
            add(failureCharges, limits.failedLogonsOfClient(), address, "");
        }
        List<Charge> all = new ArrayList<>(failureCharges);
        if (!client.exempt()) {
            add(all, limits.logons(), address, "");
        }
        if (!all.isEmpty()) {
            ChatException refused = buckets.take(all);
            if (refused != null) {
                throw refused;
            }
        }
        return new Attempt(client, failureCharges);
    }

    private static void add(List<Charge> charges, RateLimit limit, String key, String subject) {
        if (!limit.isOff()) {
            charges.add(charge(limit, key, subject));
        }
    }

    private static Charge charge(RateLimit limit, String key, String subject) {
        return new Charge(limit, key, subject);
    }
}
