package dev.resilienthttp.retry.internal;

import dev.resilienthttp.core.internal.ListenerGuard;
import dev.resilienthttp.retry.FleetChannel;

import java.util.function.Consumer;

/**
 * The one {@link FleetChannel} a policy may be linked to, and the guard around it: a channel's exception is logged
 * and the call goes on, as a listener's is. Thread-safe.
 */
final class FleetTie {
    private volatile FleetChannel channel;

    synchronized void link(FleetChannel linked) {
        if (channel != null) {
            throw new IllegalStateException("a fleet channel is linked to this policy already: close its link first");
        }
        channel = linked;
    }

    synchronized void unlink(FleetChannel linked) {
        if (channel == linked) {
            channel = null;
        }
    }

    /** Tells the linked channel, if any, what this policy found by itself. */
    void tell(Consumer<FleetChannel> signal) {
        FleetChannel linked = channel;
        if (linked != null) {
            ListenerGuard.run(() -> signal.accept(linked), "a FleetChannel", "the call goes on");
        }
    }
}
