package dev.herald.subscriptions.control;

import dev.herald.platform.control.Redis;

/** SubscriptionStore without a container, for tests in other packages; with the VAPID key an instance on that Redis and prefix has. */
public final class Stores {

    private Stores() {
    }

    public static SubscriptionStore on(Redis redis) {
        var store = new SubscriptionStore();
        store.redis = redis;
        store.clock = dev.herald.platform.control.RedisClock.on(redis);
        store.maxSubscriptions = 1_000_000;
        store.vapid = dev.herald.vapid.control.VapidFixture.inRedis(redis);
        return store;
    }
}
