// The Node.js service SDK's bulk registry calls, unmodified, against a hub: Registry.addDevices, updateDevices and
// removeDevices (each one POST /devices with up to 100 identities). Run by NodeRegistryBulkTest; prints one line per
// step, "<step> <what the SDK gave back>", and exits 1 on an unexpected outcome.
//
// Environment: IOTHUB_CONNECTION_STRING (a policy with RegistryWrite), BULK_PREFIX (device ids are prefix + 0..99).
'use strict';
var iothub = require('azure-iothub');

var registry = iothub.Registry.fromConnectionString(process.env.IOTHUB_CONNECTION_STRING);
var prefix = process.env.BULK_PREFIX;
var devices = [];
for (var i = 0; i < 100; i++) {
  devices.push({ deviceId: prefix + i });
}

function failed(step, err) {
  console.log(step + ' error ' + (err.responseBody || err.message));
  process.exit(1);
}

function outcome(err, result) {
  return err ? 'error ' + (err.response ? err.response.statusCode : '?') + ' ' + err.responseBody
    : 'ok ' + JSON.stringify(result);
}

registry.addDevices(devices, function (err, result) {
  if (err) { return failed('add', err); }
  console.log('add ' + JSON.stringify(result));
  registry.addDevices([{ deviceId: prefix + '0' }, { deviceId: prefix + 'extra' }], function (err, result) {
    console.log('add-again ' + outcome(err, result));
    var disabled = devices.map(function (d) { return { deviceId: d.deviceId, status: 'disabled' }; });
    registry.updateDevices(disabled, true, function (err, result) {
      if (err) { return failed('update', err); }
      console.log('update ' + JSON.stringify(result));
      registry.get(prefix + '2', function (err, device) {
        if (err) { return failed('get', err); }
        console.log('status-after-update ' + device.status);
        var stale = [{ deviceId: prefix + '1', status: 'enabled', etag: 'AAAAAAAAAAA=' },
          { deviceId: prefix + '2', status: 'enabled', etag: device.etag }];
        registry.updateDevices(stale, false, function (err, result) {
          console.log('update-if-match ' + outcome(err, result));
          registry.removeDevices(devices, true, function (err, result) {
            if (err) { return failed('remove', err); }
            console.log('remove ' + JSON.stringify(result));
            registry.removeDevices([{ deviceId: prefix + 'extra' }], true, function (err) {
              if (err) { return failed('remove-extra', err); }
            });
          });
        });
      });
    });
  });
});
