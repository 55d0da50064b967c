package io.gatewise.proxy;

/**
 * Where routing sent a request: an {@link Exchange} towards an upstream, or a {@link Rejection}
 * that says why it goes nowhere. Carried from routing to the servlet's later hooks as a request
 * attribute.
 */
sealed interface Routed permits Exchange, Rejection {
    /** The request attribute that carries it. */
    String ATTRIBUTE = Routed.class.getName();
}
