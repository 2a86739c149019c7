/** Placeholder replaced by the testkit work. */
package dev.resilienthttp.testkit;
