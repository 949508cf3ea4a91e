// Cloud-to-device messages through the Node.js device SDK, unmodified: the device connects over MQTT, takes the
// message queued for it (the local hub's own send API; IoT Hub's sender speaks AMQP), completes it, and prints what
// the SDK parsed from the topic. Run by NodeCloudToDeviceTest; prints "<step> <what the SDK gave back>" lines and
// exits 1 on an unexpected outcome.
//
// Environment: C2D_DEVICE_CONNECTION_STRING (a device with one message queued).
'use strict';
var Client = require('azure-iot-device').Client;
var Mqtt = require('azure-iot-device-mqtt').Mqtt;

var client = Client.fromConnectionString(process.env.C2D_DEVICE_CONNECTION_STRING, Mqtt);

function failed(step, err) {
  console.log(step + ' error ' + err.message);
  process.exit(1);
}

client.on('message', function (msg) {
  var properties = {};
  msg.properties.propertyList.forEach(function (p) { properties[p.key] = p.value; });
  console.log('message ' + JSON.stringify({ body: msg.data.toString('utf8'), messageId: msg.messageId,
    correlationId: msg.correlationId, contentType: msg.contentType, properties: properties }));
  client.complete(msg, function (err) {
    if (err) { return failed('complete', err); }
    console.log('completed ok');
    client.close(function () { process.exit(0); });
  });
});

client.open(function (err) {
  if (err) { return failed('open', err); }
});
setTimeout(function () { console.log('timeout no message'); process.exit(1); }, 60000);
