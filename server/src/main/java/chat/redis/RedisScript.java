package chat.redis;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A Lua script run by its SHA-1 (EVALSHA), so each call sends a digest rather than the script. A Redis that does
 * not know the script yet (just started, or restarted, or flushed its script cache) says NOSCRIPT; then the script
 * is sent whole once (EVAL), which also caches it there.
 */
final class RedisScript {
    private final byte[] source;
    private final byte[] sha1;

    RedisScript(String source) {
        this.source = source.getBytes(StandardCharsets.UTF_8);
        this.sha1 = HexFormat.of().formatHex(digest(this.source)).getBytes(StandardCharsets.US_ASCII);
    }

    Object run(Jedis jedis, List<byte[]> keys, List<byte[]> args) {
        try {
            return jedis.evalsha(sha1, keys, args);
        } catch (JedisNoScriptException notCached) {
            return jedis.eval(source, keys, args);
        }
    }

    private static byte[] digest(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }
}
