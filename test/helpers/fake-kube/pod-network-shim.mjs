// Preloaded (node --import) into every process the fake API server runs "in a pod": a server
// that listens on every address listens on the pod's own loopback address instead, so pods on
// this machine get separate port spaces as pods in network namespaces would.
import net from 'node:net';

const podIp = process.env.NB_FAKE_POD_IP;
const wildcard = new Set([undefined, null, '', '0.0.0.0', '::']);
if (podIp !== undefined) {
  const listen = net.Server.prototype.listen;
  net.Server.prototype.listen = function (...args) {
    if (typeof args[0] === 'object' && args[0] !== null && !Array.isArray(args[0])) {
      if (wildcard.has(args[0].host) && args[0].path === undefined)
        args[0] = { ...args[0], host: podIp };
    } else if (typeof args[0] === 'number' || typeof args[0] === 'string') {
      if (typeof args[1] === 'function' || args[1] === undefined) args.splice(1, 0, podIp);
      else if (wildcard.has(args[1])) args[1] = podIp;
    }
    return listen.apply(this, args);
  };
}
