package io.gatewise.failure;

import java.io.IOException;

/**
 * The upstream's response is well-formed HTTP that no upstream may send, such as a {@code 204}
 * with a body or a {@code 101} nobody asked for: classified as {@code http_protocol_error}.
 */
public final class InvalidResponseException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @param what what is wrong with the response, for operators */
    public InvalidResponseException(String what) {
        super(what, null);
    }
}
