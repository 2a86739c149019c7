package dev.resilienthttp.faults.internal.api;

import java.util.List;

/** A decoded API request: method, path segments (percent-decoded) and the body as text. */
record Request(String method, List<String> segments, String body) {
}
