package dev.herald.fanout.control;

import dev.herald.engagement.control.EventTokens;
import dev.herald.platform.control.Redis;
import dev.herald.push.control.Dispatcher;
import dev.herald.subscriptions.control.Stores;
import java.time.Duration;
import java.time.ZoneId;
import java.util.concurrent.ThreadFactory;

/** A Worker wired by hand for tests in other packages: what its rehearse needs (the warm-up's batches), no reader loops. */
public final class Workers {

    private Workers() {
    }

    public static Worker rehearsing(Redis redis, Dispatcher dispatcher, EventTokens tokens, ThreadFactory threads) {
        var settlement = new Settlement();
        settlement.redis = redis;
        settlement.jobTtl = Duration.ofDays(7);
        settlement.maxFailureStreak = 10;
        settlement.staleAfter = Duration.ofDays(30);
        var worker = new Worker();
        worker.store = Stores.on(redis);
        worker.settlement = settlement;
        worker.dispatcher = dispatcher;
        worker.tokens = tokens;
        worker.defaultZone = ZoneId.of("UTC");
        worker.name = "warm-up-test";
        worker.runners = Worker.runners(4, threads);
        worker.running = true;
        return worker;
    }
}
