package dev.herald.security.boundary;

import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.core.Response;

public class TooManyRequestsException extends ClientErrorException {

    public TooManyRequestsException(String detail, long retryAfterSeconds) {
        super(detail, Response.status(429).header("Retry-After", retryAfterSeconds).build());
    }
}
