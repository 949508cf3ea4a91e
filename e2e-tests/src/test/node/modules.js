// The Node.js SDKs' module calls, unmodified, against a hub: the service SDK's Registry.addModule,
// getModulesOnDevice, getModuleTwin, updateModuleTwin and removeModule, and the device SDK's ModuleClient over MQTT
// (client id {device}/{module}) reporting into its module twin and hearing a desired change. Run by NodeModulesTest;
// prints one line per step, "<step> <what the SDK gave back>", and exits 1 on an unexpected outcome.
//
// Environment: IOTHUB_CONNECTION_STRING (a policy with RegistryWrite and ServiceConnect), HUB_HOST_NAME,
// MODULE_DEVICE_ID (an existing device).
'use strict';
var iothub = require('azure-iothub');
var ModuleClient = require('azure-iot-device').ModuleClient;
var Mqtt = require('azure-iot-device-mqtt').Mqtt;

var registry = iothub.Registry.fromConnectionString(process.env.IOTHUB_CONNECTION_STRING);
var deviceId = process.env.MODULE_DEVICE_ID;
var moduleId = 'node-module';

function failed(step, err) {
  console.log(step + ' error ' + (err.responseBody || err.message));
  process.exit(1);
}

registry.addModule({ deviceId: deviceId, moduleId: moduleId }, function (err) {
  if (err) { return failed('add', err); }
  registry.getModule(deviceId, moduleId, function (err, module) {
    if (err) { return failed('get', err); }
    console.log('get ' + module.moduleId + ' ' + module.authentication.type);
    registry.getModulesOnDevice(deviceId, function (err, modules) {
      if (err) { return failed('list', err); }
      console.log('list ' + modules.map(function (m) { return m.moduleId; }).join(','));
      var connectionString = 'HostName=' + process.env.HUB_HOST_NAME + ';DeviceId=' + deviceId + ';ModuleId='
        + moduleId + ';SharedAccessKey=' + module.authentication.symmetricKey.primaryKey;
      runModule(ModuleClient.fromConnectionString(connectionString, Mqtt));
    });
  });
});

function runModule(client) {
  client.open(function (err) {
    if (err) { return failed('open', err); }
    client.getTwin(function (err, twin) {
      if (err) { return failed('twin', err); }
      twin.on('properties.desired', function (delta) {
        if (delta.speed === undefined) { return; }
        console.log('desired ' + JSON.stringify({ speed: delta.speed, version: delta.$version }));
        client.close(function () { removeModule(); });
      });
      twin.properties.reported.update({ pipeline: 'node' }, function (err) {
        if (err) { return failed('report', err); }
        registry.getModuleTwin(deviceId, moduleId, function (err, serviceTwin) {
          if (err) { return failed('service-twin', err); }
          console.log('reported ' + JSON.stringify({ pipeline: serviceTwin.properties.reported.pipeline,
            moduleId: serviceTwin.moduleId, connectionState: serviceTwin.connectionState }));
          registry.updateModuleTwin(deviceId, moduleId, { properties: { desired: { speed: 3 } } }, '*',
            function (err) { if (err) { return failed('update-twin', err); } });
        });
      });
    });
  });
}

function removeModule() {
  registry.removeModule(deviceId, moduleId, function (err) {
    if (err) { return failed('remove', err); }
    registry.getModule(deviceId, moduleId, function (err) {
      console.log('after-remove ' + (err ? 'error ' + (err.response ? err.response.statusCode : '?') : 'still there'));
      process.exit(0);
    });
  });
}
