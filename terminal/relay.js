// Relay script of the ЕС ИФЮЛ terminal module (package terminal,
// BrowserRelay). It carries the card calls of a terminal session from the
// consumer's server to the client program on this computer, which only
// this browser can reach, and carries the responses back.
//
// Include it with the relay session in data attributes:
//
//   <script src="/terminal-relay/relay.js" data-session="SESSION-ID"
//           data-client-program="http://127.0.0.1:8084"></script>
//
// or call ESIFULTerminalRelay.start({session, relay, clientProgram,
// onStatus}). Progress is also sent to the document as the event
// "esiful-terminal-relay" with detail {state, info}.
(function () {
  "use strict";

  var script = document.currentScript;
  var allowedMethod = /^terminal_proxy_[a-z_]+$/;

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify(body),
      cache: "no-store"
    });
  }

  function sleep(ms) {
    return new Promise(function (resolve) { setTimeout(resolve, ms); });
  }

  function start(options) {
    var relay = String(options.relay).replace(/\/+$/, "");
    var clientProgram = String(options.clientProgram || "http://127.0.0.1:8084")
      .replace(/\/+$/, "");
    var session = options.session;
    var stopped = false;

    function report(state, info) {
      if (options.onStatus) {
        options.onStatus(state, info);
      }
      document.dispatchEvent(new CustomEvent("esiful-terminal-relay",
        {detail: {state: state, info: info}}));
    }

    async function forward(call) {
      var result = {session: session, call: call.call};
      if (!allowedMethod.test(call.method)) {
        result.error = "method " + call.method + " is not a terminal proxy call";
        return result;
      }
      report("call", call.method);
      try {
        var response = await post(clientProgram + "/api/v1/" + call.method, call.request);
        result.status = response.status;
        result.body = await response.text();
      } catch (e) {
        result.error = "client program unreachable at " + clientProgram + ": " + e;
      }
      return result;
    }

    async function loop() {
      var failures = 0;
      while (!stopped) {
        var response;
        try {
          response = await post(relay + "/poll", {session: session});
        } catch (e) {
          failures++;
          if (failures > 5) {
            report("failed", String(e));
            return;
          }
          await sleep(1000 * failures);
          continue;
        }
        failures = 0;
        if (response.status === 204) {
          continue;
        }
        if (response.status !== 200) {
          report("stopped", response.status);
          return;
        }
        var result = await forward(await response.json());
        try {
          await post(relay + "/result", result);
        } catch (e) {
          report("failed", String(e));
        }
      }
    }

    report("started", session ? "" : "no session");
    if (session) {
      loop();
    }
    return {stop: function () { stopped = true; }};
  }

  window.ESIFULTerminalRelay = {start: start};

  if (script && script.dataset.session) {
    start({
      session: script.dataset.session,
      relay: script.dataset.relay || new URL(".", script.src).href,
      clientProgram: script.dataset.clientProgram
    });
  }
})();
