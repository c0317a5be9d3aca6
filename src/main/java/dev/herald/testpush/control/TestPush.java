package dev.herald.testpush.control;

import dev.herald.delivery.control.PushSender;
import dev.herald.delivery.control.Senders;
import dev.herald.delivery.entity.PushOptions;
import dev.herald.delivery.entity.PushResult;
import dev.herald.subscriptions.control.SubscriptionStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.NotFoundException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * "Send me a test notification": one fixed message to the caller's own subscription. The text is
 * fixed here and the id selects the only recipient, so the endpoint can never message anyone else.
 */
@ApplicationScoped
public class TestPush {

    static final byte[] MESSAGE = Json.createObjectBuilder()
            .add("title", "Herald test notification")
            .add("body", "Notifications from this site work. You can turn them off on the subscribe page at any time.")
            .add("tag", "herald-test")
            .build().toString().getBytes(StandardCharsets.UTF_8);
    // only useful right now: kept 5 minutes at most by the push service
    static final PushOptions OPTIONS = new PushOptions(300, "high", null);

    @Inject
    SubscriptionStore store;

    @Inject
    TestPushThrottle throttle;

    @Inject
    PushSender sender;

    @Inject
    Senders senders;

    public CompletionStage<JsonObject> send(String id) {
        var subscription = store.find(id).orElseThrow(() -> new NotFoundException("No subscription " + id + "."));
        throttle.acquire(id);
        var answer = new CompletableFuture<JsonObject>();
        // on a sender thread: the request thread is free while the push service takes its time
        senders.submit(() -> {
            try {
                PushResult result = sender.send(subscription, MESSAGE, OPTIONS);
                if (result.gone()) {
                    // the push service dropped this subscription for good: so do we
                    store.delete(id);
                }
                answer.complete(outcome(result));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                answer.completeExceptionally(e);
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            }
        });
        return answer;
    }

    static JsonObject outcome(PushResult result) {
        String outcome = result.sent() ? "delivered" : result.gone() ? "gone" : "failed";
        return Json.createObjectBuilder()
                .add("outcome", outcome)
                .add("push_service_status", result.status())
                .add("reason", result.reason() == null ? "" : result.reason())
                .build();
    }
}
