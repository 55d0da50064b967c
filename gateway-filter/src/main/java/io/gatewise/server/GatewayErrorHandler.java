package io.gatewise.server;

import io.gatewise.answer.FailureResponses;
import java.util.function.Supplier;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The standalone server's answer to errors it finds before any servlet runs: a request it cannot
 * parse ({@code 400}, {@code 414}, {@code 431}, {@code 505}, a {@code 501} transfer coding),
 * {@code OPTIONS *}, a body over a limit. The page is the gateway's, negotiated like every other
 * (format, language, {@code Vary}); the parser's reason, which echoes the client's bytes, is never
 * shown.
 */
final class GatewayErrorHandler extends ErrorHandler {
    private final Supplier<FailureResponses> responses;

    /** @param responses the answering point in use now: a reload replaces it */
    GatewayErrorHandler(Supplier<FailureResponses> responses) {
        this.responses = responses;
        setShowStacks(false);
    }

    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
            Callback callback) {
        if (HttpStatus.hasNoBody(code)) {
            callback.succeeded();
            return;
        }
        FailureResponses.ServerErrorPage page = responses.get().serverErrorPage(code,
                request.getHeaders().get(HttpHeader.ACCEPT), request.getHeaders().get(HttpHeader.ACCEPT_LANGUAGE));
        page.headers().forEach((name, value) -> response.getHeaders().put(name, value));
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, page.body().length);
        response.write(true, "HEAD".equals(request.getMethod()) ? null : ByteBuffer.wrap(page.body()), callback);
    }
}
