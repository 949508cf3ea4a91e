// Lets the Node.js service SDK (azure-iothub) reach a local hub that serves HTTPS on a port other than 443, without
// a change to the app: load it before the app with Node's own preload option,
//
//     LOCALHUB_PROXY_PORT=<from hub.env> node --require ./localhub-https.js service.js
//
// Why a preload: azure-iothub always connects to port 443 of the connection string's HostName (a port written into
// HostName becomes part of the name to resolve), reads no proxy variable, and builds its Registry on an https.Agent
// of its own, so neither a port, HTTPS_PROXY nor a replaced https.globalAgent reaches it. Every https.Agent opens
// its connections through https.Agent.prototype.createConnection, so that is where the tunnel goes in.
//
// What it does: a connection to port 443 of a loopback host (127.x.x.x, ::1, localhost: where a local hub listens)
// is opened through the hub's CONNECT proxy on that host and LOCALHUB_PROXY_PORT, which tunnels it to the hub's own
// HTTPS port. TLS still runs end to end between the SDK and the hub, with Node's usual certificate checks (trust the
// hub's CA with NODE_EXTRA_CA_CERTS). Any other host, a real IoT hub among them, is connected to as before, and
// without LOCALHUB_PROXY_PORT nothing changes at all.
'use strict';

const http = require('http');
const https = require('https');
const net = require('net');

const PROXY_PORT_VARIABLE = 'LOCALHUB_PROXY_PORT';
const proxyPortText = (process.env[PROXY_PORT_VARIABLE] || '').trim();

function isLoopback(host) {
  const name = String(host || '').replace(/^\[|\]$/g, '').toLowerCase();
  return name === 'localhost' || name === '::1' || (net.isIPv4(name) && name.startsWith('127.'));
}

if (proxyPortText !== '') {
  const proxyPort = Number(proxyPortText);
  if (!Number.isInteger(proxyPort) || proxyPort < 1 || proxyPort > 65535) {
    throw new Error(PROXY_PORT_VARIABLE + " must be the port of the local hub's CONNECT proxy (hub.env), not '"
        + proxyPortText + "'");
  }

  const connectDirectly = https.Agent.prototype.createConnection;

  https.Agent.prototype.createConnection = function createConnection(options, created) {
    const port = Number(options.port || 443);
    if (port !== 443 || !isLoopback(options.host) || typeof created !== 'function') {
      return connectDirectly.apply(this, arguments);
    }
    const agent = this;
    const proxy = options.host + ':' + proxyPort;
    const target = (net.isIPv6(options.host) ? '[' + options.host + ']' : options.host) + ':443';
    let answered = false;
    const answer = (err, socket) => {
      if (!answered) {
        answered = true;
        created(err, socket);
      }
    };
    const connect = http.request({
      host: options.host,
      port: proxyPort,
      method: 'CONNECT',
      path: target,
      headers: { host: target },
      agent: false,
    });
    connect.once('connect', (response, tunnel, head) => {
      if (response.statusCode !== 200) {
        tunnel.destroy();
        answer(new Error("The local hub's CONNECT proxy at " + proxy + ' (' + PROXY_PORT_VARIABLE + ') answered '
            + response.statusCode + ' ' + response.statusMessage + ' to CONNECT ' + target));
        return;
      }
      if (head && head.length > 0) {
        tunnel.unshift(head);
      }
      // The SDK's own TLS options (servername, ca, session), now over the tunnel instead of a new TCP connection.
      answer(null, connectDirectly.call(agent, Object.assign({}, options, { socket: tunnel })));
    });
    connect.once('error', (err) => {
      answer(new Error("Cannot reach the local hub's CONNECT proxy at " + proxy + ' (' + PROXY_PORT_VARIABLE
          + '): ' + err.message + '. Is the hub that wrote this hub.env still running?'));
    });
    connect.end();
    return undefined;
  };
}
