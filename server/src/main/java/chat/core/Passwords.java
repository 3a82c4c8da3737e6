package chat.core;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;

/**
 * Salted, deliberately slow password hashes (bcrypt). A password exists only for the length of a call:
 * it is never stored, logged or returned.
 *
 * <p>bcrypt reads at most 72 bytes; longer passwords are first reduced with SHA-512, so every character
 * counts. Verification compares in constant time (done by the library).
 */
public final class Passwords {
    private static final BCrypt.Version VERSION = BCrypt.Version.VERSION_2B;

    private final int cost;
    private final BCrypt.Hasher hasher = BCrypt.with(VERSION, LongPasswordStrategies.hashSha512(VERSION));
    private final BCrypt.Verifyer verifyer = BCrypt.verifyer(VERSION, LongPasswordStrategies.hashSha512(VERSION));

    /** @param cost bcrypt's log2 work factor, 4 to 31; 10 is the default and OWASP's floor. */
    public Passwords(int cost) {
        if (cost < 4 || cost > 31) {
            throw new IllegalArgumentException("bcrypt cost must be between 4 and 31, got " + cost);
        }
        this.cost = cost;
    }

    public String hash(String password) {
        return hasher.hashToString(cost, password.toCharArray());
    }

    public boolean matches(String password, String hash) {
        return verifyer.verify(password.toCharArray(), hash).verified;
    }
}
