package io.gatewise.errorpage;

import io.gatewise.failure.UpstreamFailure;
import java.util.Locale;

/**
 * What to render.
 *
 * @param failure the recorded failure, or null for an error that is not an upstream failure
 * @param status the status being sent
 * @param format the negotiated format
 * @param locale the negotiated language
 * @param operator whether the request may see operator detail
 */
public record PageRequest(UpstreamFailure failure, int status, PageFormat format, Locale locale, boolean operator) {
}
