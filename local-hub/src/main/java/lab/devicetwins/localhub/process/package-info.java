/**
 * The hub's command line as a separate process, for tests and benchmarks that need the hub outside their own JVM:
 * started from {@code local-hub.jar}, known by its hub.env, stopped or killed. Depends on nothing but the JDK and is
 * never used by the hub itself.
 */
package lab.devicetwins.localhub.process;
