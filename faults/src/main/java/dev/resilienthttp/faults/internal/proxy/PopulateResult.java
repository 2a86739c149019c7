package dev.resilienthttp.faults.internal.proxy;

import java.util.List;
import java.util.Optional;

/**
 * What {@code POST /populate} did: the proxies handled so far, in input order, and the error
 * that stopped it, if any (Go keeps the earlier entries and reports them with the error).
 */
public record PopulateResult(List<FaultProxy> proxies, Optional<ApiException> error) {
}
