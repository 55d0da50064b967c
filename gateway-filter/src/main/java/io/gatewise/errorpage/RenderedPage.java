package io.gatewise.errorpage;

import java.nio.charset.StandardCharsets;

/**
 * A rendered error page.
 *
 * @param contentType the {@code Content-Type} to send
 * @param language the {@code Content-Language} to send, such as {@code zh-CN}
 * @param body the body
 */
public record RenderedPage(String contentType, String language, String body) {
    /** @return the body in UTF-8 */
    public byte[] bytes() {
        return body.getBytes(StandardCharsets.UTF_8);
    }
}
