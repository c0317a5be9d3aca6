package dev.herald.platform.boundary;

import dev.herald.platform.control.JsonBody;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.logging.Level;
import java.util.logging.Logger;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The one place errors become RFC 9457 problem documents. Client mistakes keep their
 * status and message; storage outages are 503; anything else is a bare 500 whose
 * cause goes to the log only, never to the client.
 */
@Provider
public class ProblemMapper implements ExceptionMapper<Throwable> {

    public static final String PROBLEM_JSON = "application/problem+json";
    static final Logger LOG = Logger.getLogger(ProblemMapper.class.getName());
    static final java.util.Map<Integer, String> DEFAULT_DETAILS = java.util.Map.of(
            404, "There is no such resource; the API lives under /api (see the README).",
            405, "This resource does not support that HTTP method.",
            406, "This resource answers application/json only.",
            415, "This resource accepts a JSON body only: send Content-Type: application/json.");
    static final List<String> KEPT_HEADERS = List.of("Retry-After", "WWW-Authenticate", "Allow");

    @Override
    public Response toResponse(Throwable failure) {
        if (failure instanceof CompletionException && failure.getCause() != null) {
            return toResponse(failure.getCause()); // an asynchronous answer's failure (NotifyResource with Prefer: wait)
        }
        if (failure instanceof WebApplicationException web) {
            return fromWebApplication(web);
        }
        if (failure instanceof JedisException) {
            LOG.log(Level.WARNING, "Redis unavailable: {0}", failure.toString());
            return problem(503, "Redis, where Herald keeps its data, is unavailable; nothing was changed. Try again shortly.")
                    .header("Retry-After", 5).build();
        }
        LOG.log(Level.SEVERE, "unexpected failure", failure);
        return problem(500, "Internal error; the server log has the details.").build();
    }

    Response fromWebApplication(WebApplicationException web) {
        Response original = web.getResponse();
        int status = original.getStatus();
        if (status >= 500) {
            LOG.log(Level.WARNING, "server error " + status, web);
        }
        String detail = web.getMessage() == null || web.getMessage().startsWith("HTTP " + status)
                ? DEFAULT_DETAILS.getOrDefault(status, original.getStatusInfo().getReasonPhrase())
                : web.getMessage();
        Response.ResponseBuilder builder = web instanceof InvalidField field
                ? problem(status, detail, field.pointer()) : problem(status, detail);
        KEPT_HEADERS.forEach(name -> {
            Object value = original.getHeaderString(name);
            if (value != null) {
                builder.header(name, value);
            }
        });
        return builder.build();
    }

    public static Response.ResponseBuilder problem(int status, String detail) {
        return problem(status, detail, null);
    }

    /** With a pointer: the RFC 6901 JSON Pointer to the body member the detail is about (an extension member, RFC 9457 section 3.2). */
    static Response.ResponseBuilder problem(int status, String detail, String pointer) {
        String title = title(status);
        JsonObjectBuilder body = JsonBody.object()
                .add("type", "about:blank")
                .add("title", title)
                .add("status", status)
                .add("detail", detail);
        if (pointer != null) {
            body.add("pointer", pointer);
        }
        return Response.status(status, title).type(PROBLEM_JSON).entity(body.build().toString());
    }

    /** The status's reason phrase (RFC 9110); JAX-RS 3.1's Status has no 422. */
    static String title(int status) {
        Response.StatusType type = Response.Status.fromStatusCode(status);
        return type != null ? type.getReasonPhrase() : status == 422 ? "Unprocessable Content" : "HTTP " + status;
    }
}
