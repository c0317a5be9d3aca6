package dev.herald.push.control;

import dev.herald.push.entity.PushResult;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLException;

/** Maps a failed exchange (no HTTP answer) to a NoAnswer with a short reason. */
final class Failures {

    static final Logger LOG = Logger.getLogger(Failures.class.getName());

    private Failures() {
    }

    static PushResult result(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return new PushResult.NoAnswer(reason(cause));
    }

    static String reason(Throwable cause) {
        if (cause instanceof HttpTimeoutException) {
            return "timeout";
        }
        if (cause instanceof ConnectException) {
            // HttpClient reports a refused connection as a ConnectException without a message
            return cause.getMessage() == null || mentions(cause, "refused") ? "connection refused" : cut("connect failed: " + messages(cause));
        }
        if (cause instanceof UnknownHostException) {
            return "unknown host";
        }
        if (cause instanceof SSLException) {
            return cut("tls: " + messages(cause));
        }
        if (cause instanceof IOException) {
            return cut("io: " + messages(cause));
        }
        LOG.log(Level.WARNING, "unexpected failure sending a push message", cause);
        return cut(cause.getClass().getSimpleName() + ": " + messages(cause));
    }

    static boolean mentions(Throwable failure, String word) {
        return messages(failure).toLowerCase(java.util.Locale.ROOT).contains(word);
    }

    /** The first message in the cause chain (HttpClient often wraps a ConnectException without one). */
    static String messages(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return failure.getClass().getSimpleName();
    }

    static String cut(String text) {
        return ResponseReason.clean(text);
    }
}
