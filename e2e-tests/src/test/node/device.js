// The device application of the Node.js version of "Get started with device twins" ("Create a device
// application"), its code blocks in the article's order under the article's headings. Only the joins between the
// blocks are ours; each one is marked JOIN and says why. Nothing in an SDK call is changed.
//
// Run it as the article says: put your device connection string in place of the placeholder below. The local
// hub's certificate is trusted through NODE_EXTRA_CA_CERTS (see docs/other-languages.md); MQTT uses port 8883 as
// it does against IoT Hub.

// ### Create a client module
const Client = require('azure-iot-device').Client;

// ### Create a protocol module
// JOIN: the article declares `const Protocol = require('azure-iot-device-mqtt').Mqtt;` here and again in the next
// block; a second `const` of the same name is a SyntaxError, so it is declared once, in the next block.

// ### Add the device connection string and transport protocol
const deviceConnectionString = "{IoT hub device connection string}"
const Protocol = require('azure-iot-device-mqtt').Mqtt;
let client = Client.fromConnectionString(deviceConnectionString, Protocol);

// ### Open the connection to IoT Hub
client.open()  //open the connection
.catch((err) => {
  console.error('Could not connect: ' + err.message);
});

// ### Retrieve a device twin and examine reported properties
// JOIN: the article writes `client.getTwin(function(err, twin))` and leaves the callback's body open; the blocks
// that use `twin` below are that body, after an `else`.
client.getTwin(function(err, twin) {
if (err)
    console.error('could not get twin');
else {

// ### Update reported device twin properties
var patch = {
    connectivity: {
        type: 'cellular'
    }
}
twin.properties.reported.update(patch, function(err)
  {
    if (err)
      {
        console.error('could not update twin');
      } 
    else
      {
        console.log('twin state reported');
        process.exit();
      }
  });

// ### Receive notice of desired property changes
// #### Receive all patches with a single event handler
twin.on('properties.desired', function (delta) {
    console.log('new desired properties received:');
    console.log(JSON.stringify(delta));
});

// #### Receive an event if anything changes under a properties grouping
twin.on('properties.desired.climate', function (delta) {
    if (delta.minTemperature || delta.maxTemperature) {
        console.log('updating desired temp:');
        console.log('min temp = ' + twin.properties.desired.climate.minTemperature);
        console.log('max temp = ' + twin.properties.desired.climate.maxTemperature);
    }
});

// #### Receive an event for a single property change
twin.on('properties.desired.climate.hvac.systemControl', function (fanOn) {
    console.log('setting fan state to ' + fanOn);
 });

// JOIN: the end of getTwin's callback opened above.
}
});
