package io.gatewise.admin;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Slows down guessing the admin token: each client address may send a wrong token a few times a
 * minute; past that, its requests are refused without looking at the token until the minute ends.
 * It remembers a bounded number of addresses, the least recent forgotten first, so a flood of
 * addresses costs no more memory than a few.
 */
final class WrongTokenLimiter {
    static final int ATTEMPTS_PER_WINDOW = 10;
    static final Duration WINDOW = Duration.ofMinutes(1);
    private static final int ADDRESSES = 4096;

    private final Clock clock;
    private final Map<String, Window> windows = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
            return size() > ADDRESSES;
        }
    };

    private static final class Window {
        long startMillis;
        int wrong;
    }

    WrongTokenLimiter(Clock clock) {
        this.clock = clock;
    }

    /**
     * @param address the client's address
     * @return how long it must wait before it may try again; zero if it may try now
     */
    synchronized Duration waitFor(String address) {
        Window window = windows.get(address);
        if (window == null || window.wrong < ATTEMPTS_PER_WINDOW) {
            return Duration.ZERO;
        }
        long left = window.startMillis + WINDOW.toMillis() - clock.millis();
        if (left <= 0) {
            windows.remove(address);
            return Duration.ZERO;
        }
        return Duration.ofMillis(left);
    }

    /** Counts a wrong or missing token from the address. */
    synchronized void wrong(String address) {
        long now = clock.millis();
        Window window = windows.computeIfAbsent(address, key -> new Window());
        if (now - window.startMillis >= WINDOW.toMillis()) {
            window.startMillis = now;
            window.wrong = 0;
        }
        window.wrong++;
    }
}
