package dev.herald.push.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WarmUpSinkTest {

    final AtomicInteger threadsMade = new AtomicInteger();

    Thread counted(Runnable task) {
        threadsMade.incrementAndGet();
        return new Thread(task);
    }

    @Test
    void answersEveryPostWith201OnOneKeptAliveConnectionAndListensOnLoopbackOnly() throws Exception {
        var client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        try (var sink = WarmUpSink.start(this::counted)) {
            assertThat(sink.endpoint(7).getHost()).isEqualTo("127.0.0.1");
            assertThat(sink.socket.getInetAddress().isLoopbackAddress()).isTrue();
            for (int i = 0; i < 50; i++) {
                var response = client.send(HttpRequest.newBuilder(sink.endpoint(i))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[100 + i])).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(201);
                assertThat(response.version()).as("h2c upgrade declined, HTTP/1.1 kept").isEqualTo(HttpClient.Version.HTTP_1_1);
            }
            assertThat(sink.answered()).isEqualTo(50);
            assertThat(threadsMade).as("the acceptor and one connection").hasValue(2);
        }
    }

    @Test
    void closingItEndsItsAcceptorAndEveryConnectionThread() throws Exception {
        var client = HttpClient.newHttpClient();
        var made = new java.util.concurrent.CopyOnWriteArrayList<Thread>();
        var sink = WarmUpSink.start(task -> {
            var thread = new Thread(task);
            made.add(thread);
            return thread;
        });
        assertThat(client.send(HttpRequest.newBuilder(sink.endpoint(1)).POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(201);
        assertThat(made).hasSize(2);

        sink.close();

        for (Thread thread : made) {
            thread.join(10_000); // a generous bound, so that a sink that keeps its threads fails rather than hangs
            assertThat(thread.isAlive()).as(thread.getName()).isFalse();
        }
        assertThat(sink.connections).isEmpty();
    }

    @Test
    void aRequestHeadGivesItsContentLengthAndTheEndOfTheConnectionGivesMinusOne() throws Exception {
        var head = "POST /warm-up/1 HTTP/1.1\r\nHost: x\r\ncontent-LENGTH: 42\r\n\r\n";
        assertThat(WarmUpSink.contentLength(new java.io.ByteArrayInputStream(head.getBytes()))).isEqualTo(42);
        assertThat(WarmUpSink.contentLength(new java.io.ByteArrayInputStream(new byte[0]))).isEqualTo(-1);
        assertThat(WarmUpSink.contentLength(new java.io.ByteArrayInputStream("GET / HTTP/1.1\r\n\r\n".getBytes()))).isZero();
    }
}
