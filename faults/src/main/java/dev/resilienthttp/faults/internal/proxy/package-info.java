/**
 * The TCP side: proxies, their listeners, connections and links, and the registry the REST API
 * drives.
 *
 * <p>Threads: each enabled proxy has one accept thread; each connection has, per direction, a
 * reader thread (source socket to a 1024-chunk queue) and a pipeline thread (queue through the
 * toxic stages to the destination socket). Every thread is named {@code toxiproxy-…}, is a daemon,
 * ends when its socket closes, and is tracked by {@link dev.resilienthttp.faults.internal.proxy.Workers}
 * so that closing the server can wait for all of them.
 */
package dev.resilienthttp.faults.internal.proxy;
