package dev.herald.testing;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small HTTP client for the running WAR: raw enough to send malformed requests. */
public final class Api {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** The API token the pom configures for the Arquillian-managed Payara (herald.it.token); notify and job reads need it. */
    public static final String TOKEN = System.getProperty("herald.it.token", "it-2f9Kq7VxLm3RZ8wYc0pTnD5sHbGe1JuA");

    final URI base;
    final String token;

    public Api(URI base) {
        this(base, null);
    }

    public Api(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    /** The same API, sending Authorization: Bearer TOKEN with every request. */
    public Api authorized() {
        return withToken(TOKEN);
    }

    /** The same API, sending Authorization: Bearer token with every request (null: none). */
    public Api withToken(String token) {
        return new Api(base, token);
    }

    /** Adds Authorization: Bearer TOKEN to a request built by hand. */
    public static HttpRequest.Builder authorize(HttpRequest.Builder request) {
        return request.header("Authorization", "Bearer " + TOKEN);
    }

    /** Arquillian's Payara Micro connector reports a non-loopback host: talk to 127.0.0.1 only. */
    public static Api at(URL arquillianUrl) {
        String path = arquillianUrl.getPath().endsWith("/") ? arquillianUrl.getPath() : arquillianUrl.getPath() + "/";
        return new Api(URI.create("http://127.0.0.1:" + arquillianUrl.getPort() + path));
    }

    public record Reply(int status, java.net.http.HttpHeaders headers, String body) {

        public JsonObject json() {
            try (var reader = Json.createReader(new StringReader(body))) {
                return reader.readObject();
            }
        }

        public jakarta.json.JsonArray jsonArray() {
            try (var reader = Json.createReader(new StringReader(body))) {
                return reader.readArray();
            }
        }

        public String contentType() {
            return headers.firstValue("Content-Type").orElse("");
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    public Reply get(String path) {
        return send(request(path).GET().build());
    }

    public Reply post(String path, String json) {
        return post(path, "application/json", json);
    }

    public Reply post(String path, String contentType, String body) {
        return send(request(path).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    public Reply put(String path, String json) {
        return send(request(path).header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    public Reply delete(String path) {
        return send(request(path).DELETE().build());
    }

    public HttpRequest.Builder request(String path) {
        var builder = HttpRequest.newBuilder(base.resolve(path.startsWith("/") ? path.substring(1) : path)).timeout(Duration.ofSeconds(60));
        return token == null ? builder : builder.header("Authorization", "Bearer " + token);
    }

    public Reply send(HttpRequest request) {
        try {
            var response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
