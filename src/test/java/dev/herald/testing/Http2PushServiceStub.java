package dev.herald.testing;

import java.nio.channels.SelectableChannel;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLContext;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.HTTP2Cipher;
import org.eclipse.jetty.http2.HTTP2Session;
import org.eclipse.jetty.http2.api.Session;
import org.eclipse.jetty.http2.frames.Frame;
import org.eclipse.jetty.http2.frames.ResetFrame;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A push service on 127.0.0.1 that speaks only HTTP/2 over TLS (ALPN "h2"), as FCM, Mozilla and
 * Apple do, with a certificate made at start (TestCertificate) and a SETTINGS_MAX_CONCURRENT_STREAMS
 * of its own (Jetty refuses a stream beyond it with RST_STREAM REFUSED_STREAM, RFC 9113 section 5.1.2).
 * Every POST is answered 201 after the latency, without holding a thread (Jetty's scheduler); a body
 * sent to a name registered with subscriber() is decrypted (RFC 8291, as PushServiceStub does) and
 * refused with 400 when it does not decrypt; other names are only counted, as PushServiceStub's fast
 * mode does. It counts what the client did to it: requests, TCP connections accepted, RST_STREAM
 * frames (sent or received), and the most requests it was answering at once (its open streams).
 */
public final class Http2PushServiceStub implements AutoCloseable {

    public record Rejection(String name, String reason) {
    }

    final TestCertificate certificate = TestCertificate.forAddress("127.0.0.1");
    final Duration latency;
    final Server server;
    final ServerConnector connector;
    final String origin;
    final LongAdder requests = new LongAdder();
    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger resets = new AtomicInteger();
    final AtomicInteger open = new AtomicInteger();
    final AtomicInteger maxOpen = new AtomicInteger();
    final Map<String, TestSubscriber> subscribers = new ConcurrentHashMap<>();
    final Map<String, List<String>> deliveries = new ConcurrentHashMap<>();
    final List<Rejection> rejections = new CopyOnWriteArrayList<>();

    private Http2PushServiceStub(int maxConcurrentStreams, Duration latency) throws Exception {
        this.latency = latency;
        var threads = new QueuedThreadPool();
        threads.setName("h2-stub");
        threads.setDaemon(true);
        server = new Server(threads);
        var h2 = new HTTP2ServerConnectionFactory(new HttpConfiguration());
        h2.setMaxConcurrentStreams(maxConcurrentStreams);
        h2.addEventListener(new HTTP2Session.FrameListener() {
            @Override
            public void onIncomingFrame(Session session, Frame frame) {
                count(frame);
            }

            @Override
            public void onOutgoingFrame(Session session, Frame frame) {
                count(frame);
            }
        });
        var alpn = new ALPNServerConnectionFactory("h2");
        alpn.setDefaultProtocol("h2");
        var tls = new SslContextFactory.Server();
        tls.setKeyStore(certificate.keyStore());
        tls.setKeyStorePassword(TestCertificate.PASSWORD);
        tls.setCipherComparator(HTTP2Cipher.COMPARATOR);
        connector = new ServerConnector(server, new SslConnectionFactory(tls, alpn.getProtocol()), alpn, h2);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        connector.addEventListener(new SelectorManager.AcceptListener() {
            @Override
            public void onAccepted(SelectableChannel channel) {
                connections.incrementAndGet();
            }
        });
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                return Http2PushServiceStub.this.handle(request, response, callback);
            }
        });
        server.start();
        origin = "https://127.0.0.1:" + connector.getLocalPort();
    }

    /** A push service allowing at most maxConcurrentStreams streams per connection, answering after latency. */
    public static Http2PushServiceStub start(int maxConcurrentStreams, Duration latency) {
        try {
            return new Http2PushServiceStub(maxConcurrentStreams, latency == null ? Duration.ZERO : latency);
        } catch (Exception e) {
            throw new IllegalStateException("the HTTP/2 push-service stub did not start", e);
        }
    }

    void count(Frame frame) {
        if (frame instanceof ResetFrame) {
            resets.incrementAndGet();
        }
    }

    boolean handle(Request request, Response response, Callback callback) {
        requests.increment();
        maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
        String path = request.getHttpURI().getPath();
        String name = path.startsWith("/push/") ? path.substring("/push/".length()) : path;
        Content.Source.asByteArrayAsync(request, 8192).whenComplete((body, failure) -> {
            int status = !"POST".equals(request.getMethod()) ? 405 : failure != null ? 400 : check(name, body);
            Runnable answer = () -> {
                open.decrementAndGet();
                response.setStatus(status);
                if (status == 201) {
                    response.getHeaders().put("Location", origin + "/message/" + requests.sum());
                }
                callback.succeeded();
            };
            if (latency.isZero()) {
                answer.run();
            } else {
                request.getComponents().getScheduler().schedule(answer, latency.toNanos(), TimeUnit.NANOSECONDS);
            }
        });
        return true;
    }

    /** 201, or 400 when a registered subscriber's message does not decrypt. */
    int check(String name, byte[] body) {
        TestSubscriber subscriber = subscribers.get(name);
        if (subscriber == null) {
            return 201;
        }
        try {
            deliveries.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>()).add(Rfc8291Decryptor.decrypt(body, subscriber).text());
            return 201;
        } catch (GeneralSecurityException | RuntimeException e) {
            rejections.add(new Rejection(name, "cannot decrypt the body: " + e));
            return 400;
        }
    }

    public String origin() {
        return origin;
    }

    public String endpoint(String name) {
        return origin + "/push/" + name;
    }

    /** A new browser subscription whose endpoint is endpoint(name); the stub decrypts what is sent to it. */
    public TestSubscriber subscriber(String name) {
        TestSubscriber keys = TestSubscriber.create("");
        var subscriber = new TestSubscriber(endpoint(name), keys.keys(), keys.auth());
        subscribers.put(name, subscriber);
        return subscriber;
    }

    /** The decrypted payloads sent to a registered name. */
    public List<String> deliveries(String name) {
        return List.copyOf(deliveries.getOrDefault(name, List.of()));
    }

    public List<Rejection> rejections() {
        return List.copyOf(rejections);
    }

    /** Requests that reached the handler (a refused stream never does). */
    public long requests() {
        return requests.sum();
    }

    /** TCP connections accepted since start. */
    public int connections() {
        return connections.get();
    }

    /** RST_STREAM frames sent (a stream refused beyond the limit) or received (a client gave up on one). */
    public int resets() {
        return resets.get();
    }

    /** The most requests the handler was answering at once: streams open at the same time. */
    public int maxConcurrentStreams() {
        return maxOpen.get();
    }

    /** A client SSLContext trusting this stub's certificate only. */
    public SSLContext clientContext() {
        return certificate.clientContext();
    }

    public TestCertificate certificate() {
        return certificate;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
