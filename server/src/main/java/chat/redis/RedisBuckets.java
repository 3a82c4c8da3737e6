package chat.redis;

import chat.error.ChatException;
import chat.limit.Buckets;
import chat.limit.Charge;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Logon's buckets in Redis, so that every replica takes from the same ones: a brute force spread over replicas
 * is refused at the count one replica would refuse it. One script a logon (all the logon's buckets at once) and
 * one more for a right password, which gives the failed-logon tokens back. Each bucket's key expires when it is
 * full again, so Redis holds only buckets in use. When Redis does not answer, the logon fails STORE_UNAVAILABLE:
 * closed, as it must (a logon needs Redis anyway).
 */
public final class RedisBuckets implements Buckets {
    private final RedisConnections redis;

    public RedisBuckets(RedisConnections redis) {
        this.redis = redis;
    }

    @Override
    public ChatException take(List<Charge> charges) {
        List<byte[]> keys = new ArrayList<>(charges.size());
        List<byte[]> args = new ArrayList<>(2 * charges.size());
        for (Charge charge : charges) {
            keys.add(key(charge));
            args.add(RedisStore.bytes(Integer.toString(charge.limit().rate().burst())));
            args.add(RedisStore.bytes(Long.toString(charge.limit().rate().interval().toMillis())));
        }
        List<?> reply = (List<?>) redis.call(jedis -> RedisScripts.TAKE_TOKENS.run(jedis, keys, args));
        int refused = (int) (long) (Long) reply.get(0);
        if (refused == 0) {
            return null;
        }
        Charge charge = charges.get(refused - 1);
        return charge.limit().refuse(charge.subject(), Duration.ofMillis((Long) reply.get(1)));
    }

    @Override
    public void giveBack(List<Charge> charges) {
        List<byte[]> keys = new ArrayList<>(charges.size());
        List<byte[]> args = new ArrayList<>(charges.size());
        for (Charge charge : charges) {
            keys.add(key(charge));
            args.add(RedisStore.bytes(Long.toString(charge.limit().rate().interval().toMillis())));
        }
        redis.call(jedis -> RedisScripts.GIVE_BACK_TOKENS.run(jedis, keys, args));
    }

    /** {@code chat:rate:failed-logons:203.0.113.7|alice}: see RedisScripts for the layout. */
    private static byte[] key(Charge charge) {
        return RedisStore.bytes("chat:rate:" + charge.limit().name() + ":" + charge.key());
    }
}
