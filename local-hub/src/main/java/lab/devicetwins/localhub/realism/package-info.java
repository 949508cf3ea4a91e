/**
 * Realistic mode: what a real IoT Hub of a given tier does that an instant local hub does not. A {@link
 * lab.devicetwins.localhub.realism.HubProfile} names the tier and its knobs (quotas per operation, the traffic-shaping
 * bound, query index lag, identity propagation, SAS clock-skew tolerance); {@link
 * lab.devicetwins.localhub.realism.Throttles} is the state the endpoints consult before running an operation. The
 * {@code local} profile turns all of it off and costs the endpoints one field read. Free of I/O; time comes from a
 * {@link java.util.function.LongSupplier} of nanoseconds.
 */
package lab.devicetwins.localhub.realism;
