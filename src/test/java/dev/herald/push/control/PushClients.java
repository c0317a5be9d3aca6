package dev.herald.push.control;

import dev.herald.encryption.control.PayloadEncryption;
import dev.herald.subscriptions.control.EndpointPolicy;
import dev.herald.vapid.control.VapidHeaders;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;

/** PushClient and Dispatcher outside a container, for tests of other packages. */
public final class PushClients {

    private PushClients() {
    }

    public static PushClient of(PayloadEncryption encryption, VapidHeaders vapid, EndpointPolicy policy) {
        return new PushClient(encryption, vapid, policy, Duration.ofSeconds(2), Duration.ofSeconds(10));
    }

    /**
     * A Dispatcher with the default delivery settings, sender threads from threads, no breaker (limit 0) and no Redis: a
     * push that would record anything there (the push services seen) fails inside it.
     */
    public static Dispatcher dispatcher(PushClient client, ThreadFactory threads) {
        var dispatcher = new Dispatcher();
        dispatcher.client = client;
        dispatcher.maxInFlight = 256;
        dispatcher.retryBase = Duration.ofSeconds(1);
        dispatcher.retryMax = Duration.ofMinutes(1);
        dispatcher.maxRetries = 3;
        dispatcher.retryAfterDefault = Duration.ofSeconds(60);
        dispatcher.retryAfterMax = Duration.ofHours(1);
        dispatcher.senders = new SenderThreads(threads, Dispatcher.permits(256) + Dispatcher.priorityPermits(256));
        dispatcher.pauses = new HostPauses();
        dispatcher.breaker = new ConfigBreaker(null, 0);
        dispatcher.seen = new PushServicesSeen();
        dispatcher.init();
        return dispatcher;
    }
}
