// Direct methods through the Node.js SDKs, unmodified: the device SDK's onDeviceMethod over MQTT answers, the
// service SDK's Client.invokeDeviceMethod (REST: POST /twins/{id}/methods, its own defaults for the timeouts) calls
// it (waiting for the device to subscribe), then calls again, with the SDK's defaults, once the device has closed. Run by NodeMethodsTest; prints one line per step,
// "<step> <what the SDK gave back>", and exits 1 on an unexpected outcome.
//
// Environment: IOTHUB_CONNECTION_STRING (a policy with ServiceConnect), METHOD_DEVICE_ID and
// METHOD_DEVICE_CONNECTION_STRING (an existing device).
'use strict';
var ServiceClient = require('azure-iothub').Client;
var DeviceClient = require('azure-iot-device').Client;
var Mqtt = require('azure-iot-device-mqtt').Mqtt;

var deviceId = process.env.METHOD_DEVICE_ID;
var service = ServiceClient.fromConnectionString(process.env.IOTHUB_CONNECTION_STRING);
var device = DeviceClient.fromConnectionString(process.env.METHOD_DEVICE_CONNECTION_STRING, Mqtt);

function failed(step, err) {
  console.log(step + ' error ' + (err.responseBody || err.message));
  process.exit(1);
}

device.open(function (err) {
  if (err) { return failed('open', err); }
  device.onDeviceMethod('echo', function (request, response) {
    response.send(200, { echo: request.payload, method: request.methodName }, function (err) {
      if (err) { failed('answer', err); }
    });
  });
  call();
});

function call() {
  // the SDK subscribes to methods when the handler is registered, a moment from now: the hub waits that long for it
  service.invokeDeviceMethod(deviceId, { methodName: 'echo', payload: { n: 1.5, list: [true, null] },
    connectTimeoutInSeconds: 20 },
    function (err, result) {
      if (err) { return failed('invoke', err); }
      console.log('invoke ' + result.status + ' ' + JSON.stringify(result.payload));
      device.close(function () {
        service.invokeDeviceMethod(deviceId, { methodName: 'echo', payload: 'x' }, function (err) {
          var body = err && err.responseBody ? JSON.parse(err.responseBody) : {};
          var code = body.errorCode || (body.Message ? JSON.parse(body.Message).errorCode : '?');
          console.log('offline ' + (err ? 'error ' + err.response.statusCode + ' ' + code : 'answered'));
          process.exit(0);
        });
      });
    });
}
