package io.gatewise.trace;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.util.List;

/**
 * OpenTelemetry's parent-based ratio sampler, whose ratio a reload changes: a span with a parent
 * follows the parent's decision; a new trace is kept at the ratio.
 */
final class RatioSampler implements Sampler {
    private volatile Sampler delegate;

    RatioSampler(double ratio) {
        ratio(ratio);
    }

    void ratio(double ratio) {
        this.delegate = Sampler.parentBased(Sampler.traceIdRatioBased(ratio));
    }

    @Override
    public SamplingResult shouldSample(Context parentContext, String traceId, String name, SpanKind spanKind,
            Attributes attributes, List<LinkData> parentLinks) {
        return delegate.shouldSample(parentContext, traceId, name, spanKind, attributes, parentLinks);
    }

    @Override
    public String getDescription() {
        return "Reloadable" + delegate.getDescription();
    }
}
