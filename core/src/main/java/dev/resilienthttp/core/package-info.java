/** Placeholder replaced by the core issue. */
package dev.resilienthttp.core;
