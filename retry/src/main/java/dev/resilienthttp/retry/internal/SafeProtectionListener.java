package dev.resilienthttp.retry.internal;

import dev.resilienthttp.core.FailureKind;
import dev.resilienthttp.core.internal.ListenerGuard;
import dev.resilienthttp.retry.CircuitState;
import dev.resilienthttp.retry.ProtectionListener;

import java.time.Duration;

/** Calls the user's listener and keeps its exceptions out of the call: they are logged, nothing more. */
final class SafeProtectionListener implements ProtectionListener {
    private final ProtectionListener delegate;

    SafeProtectionListener(ProtectionListener delegate) {
        this.delegate = delegate;
    }

    @Override
    public void hostHeld(String host, Duration wait) {
        guard(() -> delegate.hostHeld(host, wait));
    }

    @Override
    public void hostBlocked(String host, String reason) {
        guard(() -> delegate.hostBlocked(host, reason));
    }

    @Override
    public void hostUnblocked(String host) {
        guard(() -> delegate.hostUnblocked(host));
    }

    @Override
    public void hostHeldRemotely(String host, Duration wait) {
        guard(() -> delegate.hostHeldRemotely(host, wait));
    }

    @Override
    public void hostBlockedRemotely(String host, String reason) {
        guard(() -> delegate.hostBlockedRemotely(host, reason));
    }

    @Override
    public void hostUnblockedRemotely(String host) {
        guard(() -> delegate.hostUnblockedRemotely(host));
    }

    @Override
    public void callRefused(String host, FailureKind kind) {
        guard(() -> delegate.callRefused(host, kind));
    }

    @Override
    public void circuitStateChanged(String host, CircuitState from, CircuitState to) {
        guard(() -> delegate.circuitStateChanged(host, from, to));
    }

    @Override
    public void retryRefusedByBudget(String host) {
        guard(() -> delegate.retryRefusedByBudget(host));
    }

    @Override
    public void rateLimitChanged(String host, int permitsPerSecond) {
        guard(() -> delegate.rateLimitChanged(host, permitsPerSecond));
    }

    private static void guard(Runnable event) {
        ListenerGuard.run(event, "a ProtectionListener", "the call goes on");
    }
}
