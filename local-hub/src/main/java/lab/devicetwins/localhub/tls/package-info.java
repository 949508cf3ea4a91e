/**
 * Development TLS for the local hub: a per-machine certificate authority that learners trust once, and a server
 * certificate it issues for the hub's host names. Kept in the hub's data directory (or in memory for tests) and
 * touches no other files.
 */
package lab.devicetwins.localhub.tls;
