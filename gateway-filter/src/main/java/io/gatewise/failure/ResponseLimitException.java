package io.gatewise.failure;

import java.io.IOException;

/** The upstream's response went over a limit the gateway enforces, such as its header section size. */
public final class ResponseLimitException extends IOException {
    private static final long serialVersionUID = 1L;

    private final ProxyErrorType type;
    private final String parameter;
    private final long size;

    private ResponseLimitException(ProxyErrorType type, String parameter, long size, long limit, String what) {
        super(what + " of at least " + size + " bytes is over the limit of " + limit + " bytes");
        this.type = type;
        this.parameter = parameter;
        this.size = size;
    }

    /**
     * @param size the header section size seen so far
     * @param limit the configured limit
     * @return the exception
     */
    public static ResponseLimitException headerSection(long size, long limit) {
        return new ResponseLimitException(ProxyErrorType.HTTP_RESPONSE_HEADER_SECTION_SIZE, "header-section-size",
                size, limit, "response header section");
    }

    /**
     * @param size the trailer section's size
     * @param limit the configured limit, the header section's
     * @return the exception
     */
    public static ResponseLimitException trailerSection(long size, long limit) {
        return new ResponseLimitException(ProxyErrorType.HTTP_RESPONSE_TRAILER_SECTION_SIZE, "trailer-section-size",
                size, limit, "response trailer section");
    }

    /**
     * @param size the body size announced or seen so far
     * @param limit the configured limit
     * @return the exception
     */
    public static ResponseLimitException body(long size, long limit) {
        return new ResponseLimitException(ProxyErrorType.HTTP_RESPONSE_BODY_SIZE, "body-size", size, limit,
                "response body");
    }

    /** @return the error type the limit belongs to */
    public ProxyErrorType type() {
        return type;
    }

    /** @return the RFC 9209 parameter that carries the size */
    public String parameter() {
        return parameter;
    }

    /** @return the size that went over the limit */
    public long size() {
        return size;
    }
}
