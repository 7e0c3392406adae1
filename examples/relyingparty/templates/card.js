// Polls the demo for the result of the card reading that relay.js carries
// between the server and the client program, and shows it.
(function () {
  "use strict";
  var resultURL = document.currentScript.getAttribute("data-result");
  var status = document.getElementById("card-status");
  var table = document.getElementById("card-data");

  function show(result) {
    if (result.error) {
      status.textContent = result.error;
      status.className = "error";
      return;
    }
    status.textContent = "Данные прочитаны с ID-карты:";
    (result.rows || []).forEach(function (row) {
      var tr = document.createElement("tr");
      var th = document.createElement("th");
      var td = document.createElement("td");
      th.textContent = row.label;
      td.textContent = row.value;
      tr.appendChild(th);
      tr.appendChild(td);
      table.appendChild(tr);
    });
    table.hidden = false;
  }

  function poll() {
    fetch(resultURL, {cache: "no-store"})
      .then(function (response) { return response.json(); })
      .then(function (result) {
        if (result.done) { show(result); } else { setTimeout(poll, 300); }
      })
      .catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
