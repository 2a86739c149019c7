/** The standalone server's command line, parsed apart from running it so it can be tested. */
package dev.resilienthttp.faults.internal.cli;
