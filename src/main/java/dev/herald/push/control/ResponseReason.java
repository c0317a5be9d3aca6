package dev.herald.push.control;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.net.http.HttpResponse.ResponseInfo;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Reads a push service's answer only as far as needed: nothing of a 2xx, and at most LIMIT
 * bytes of an error, whose start usually says why (then the rest is cancelled).
 */
final class ResponseReason implements BodySubscriber<String> {

    static final int LIMIT = 256;
    static final int MAX_TEXT = 160;

    final CompletableFuture<String> text = new CompletableFuture<>();
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Flow.Subscription subscription;

    static BodySubscriber<String> handle(ResponseInfo info) {
        return info.statusCode() >= 200 && info.statusCode() < 300 ? BodySubscribers.replacing("") : new ResponseReason();
    }

    @Override
    public CompletionStage<String> getBody() {
        return text;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        subscription.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        for (ByteBuffer buffer : buffers) {
            int take = Math.min(buffer.remaining(), LIMIT - bytes.size());
            byte[] chunk = new byte[take];
            buffer.get(chunk);
            bytes.writeBytes(chunk);
        }
        if (bytes.size() >= LIMIT) {
            subscription.cancel();
            onComplete();
        } else {
            subscription.request(1);
        }
    }

    @Override
    public void onError(Throwable failure) {
        text.completeExceptionally(failure);
    }

    @Override
    public void onComplete() {
        text.complete(clean(new String(bytes.toByteArray(), StandardCharsets.UTF_8)));
    }

    /** One line, no control characters (the reason may end up in logs and job records). */
    static String clean(String raw) {
        String line = raw.replaceAll("[\\p{Cntrl}\\s]+", " ").strip();
        return line.length() > MAX_TEXT ? line.substring(0, MAX_TEXT) + "…" : line;
    }
}
