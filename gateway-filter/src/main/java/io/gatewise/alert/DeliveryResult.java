package io.gatewise.alert;

import java.util.Optional;

/**
 * How one notification to one webhook ended.
 *
 * @param webhook the webhook as {@code host:port}
 * @param success whether it answered 2xx
 * @param status the status it answered; empty if it did not answer
 * @param error why it failed, such as {@code status 500} or {@code ConnectException}; empty on success
 */
public record DeliveryResult(String webhook, boolean success, Optional<Integer> status, Optional<String> error) {
}
