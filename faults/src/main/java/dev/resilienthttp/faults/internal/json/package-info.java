/**
 * A small, strict JSON reader and writer for the Toxiproxy REST API.
 *
 * <p>No JSON library is available at run time, and the API only needs objects, arrays, strings,
 * numbers, booleans and null. Values are plain Java objects: {@code Map<String, Object>} (in
 * document order), {@code List<Object>}, {@code String}, {@code BigDecimal}, {@code Boolean} and
 * {@code null}. Reader errors carry a position, because they become the API's 400 error bodies.
 */
package dev.resilienthttp.faults.internal.json;
