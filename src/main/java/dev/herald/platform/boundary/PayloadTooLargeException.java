package dev.herald.platform.boundary;

import jakarta.ws.rs.ClientErrorException;

public class PayloadTooLargeException extends ClientErrorException {

    public PayloadTooLargeException(String detail) {
        super(detail, 413);
    }
}
