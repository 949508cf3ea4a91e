/**
 * Messages between the back end and devices that are neither twins nor methods: cloud-to-device messages, their
 * queue rules and limits. No I/O and no wire formats.
 */
package lab.devicetwins.localhub.messaging;
