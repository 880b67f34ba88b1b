/**
 * The retailer app's Scan Key screen as a web page (served at /app): sign in with an app token for a
 * short-lived session (POST /app/v1/sessions), call with the session and sign in again when it has
 * expired, show the Scan Key Code as a QR for the gate, renew it before it expires, and list the
 * receipts of past trips. Plain HTML, CSS and JavaScript kept as strings so `tsc` ships them with no build step;
 * the script is served as its own file so the Content-Security-Policy can forbid inline scripts.
 */

export const APP_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Scan Key</title>
<link rel="stylesheet" href="/app/app.css">
</head>
<body>
<main>
  <section id="sign-in">
    <h1>Sign in</h1>
    <form id="sign-in-form">
      <label for="token">App token</label>
      <input id="token" name="token" autocomplete="off" placeholder="e.g. demo-alice" required>
      <button type="submit">Sign in</button>
      <p id="sign-in-error" class="error" role="alert"></p>
    </form>
  </section>
  <section id="signed-in" hidden>
    <header>
      <h1>Hello, <span id="shopper-name"></span></h1>
      <button id="sign-out" type="button">Sign out</button>
    </header>
    <h2>Scan at the gate</h2>
    <div id="qr" role="img" aria-label="Scan Key QR code"></div>
    <p id="code" class="code"></p>
    <p id="expiry" class="muted"></p>
    <p id="scan-key-error" class="error" role="alert"></p>
    <h2>Receipts</h2>
    <p id="no-receipts" class="muted" hidden>No trips yet.</p>
    <ol id="receipts"></ol>
  </section>
</main>
<script src="/app/app.js" defer></script>
</body>
</html>
`;

export const APP_CSS = `
body { font-family: system-ui, sans-serif; margin: 0; background: #f4f5f7; color: #1d2330; }
main { max-width: 28rem; margin: 0 auto; padding: 1rem; }
header { display: flex; justify-content: space-between; align-items: center; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin-top: 1.5rem; }
label { display: block; margin-bottom: .3rem; }
input { font-size: 1rem; padding: .5rem; width: 100%; box-sizing: border-box; margin-bottom: .5rem; }
button { font-size: 1rem; padding: .5rem 1rem; }
#qr { background: #fff; padding: 16px; width: 264px; height: 264px; margin: 0 auto; }
#qr svg { width: 264px; height: 264px; display: block; }
.code { font-family: ui-monospace, monospace; font-size: .8rem; word-break: break-all; text-align: center; }
.muted { color: #5d6575; text-align: center; }
.error { color: #b00020; }
#receipts { list-style: none; padding: 0; }
.receipt { background: #fff; border-radius: 8px; padding: .8rem; margin-bottom: .8rem; }
.receipt table { width: 100%; border-collapse: collapse; font-size: .9rem; }
.receipt td { padding: .15rem 0; } .receipt td.amount { text-align: right; white-space: nowrap; }
.receipt .discount td { color: #0a7d32; } .receipt .sum td { border-top: 1px solid #dde; }
.receipt .total td { font-weight: bold; }
`;

export const APP_JS = `'use strict';
(function () {
  // The tab keeps the app token (to sign in again when the session expires) and the session.
  var TOKEN_KEY = 'jwo-app-token';
  var SESSION_KEY = 'jwo-app-session';
  /** Renew the code this long before it expires, so the gate never sees an expired one. */
  var RENEW_BEFORE_EXPIRY_MS = 15000;
  var token = sessionStorage.getItem(TOKEN_KEY);
  var session = sessionStorage.getItem(SESSION_KEY);
  var signingIn = null;
  var renewTimer = null;
  var countdownTimer = null;

  function $(id) { return document.getElementById(id); }

  function request(method, path, headers, body) {
    return fetch(path, { method: method, headers: headers, body: body }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (answer) {
        if (!response.ok) {
          var error = new Error(answer.message || ('HTTP ' + response.status));
          error.status = response.status;
          throw error;
        }
        return answer;
      });
    });
  }

  /** A new session for the app token; calls that need one at the same time share the sign-in. */
  function createSession() {
    if (!signingIn) {
      var body = JSON.stringify({ appToken: token });
      signingIn = request('POST', '/app/v1/sessions', { 'content-type': 'application/json' }, body)
        .then(function (answer) {
          session = answer.sessionToken;
          sessionStorage.setItem(SESSION_KEY, session);
        })
        .finally(function () { signingIn = null; });
    }
    return signingIn;
  }

  /** An app call with the session; a 401 (the session expired) signs in again and repeats it once. */
  function call(method, path) {
    function send() { return request(method, path, { authorization: 'Bearer ' + session }); }
    if (!session) return createSession().then(send);
    return send().catch(function (error) {
      if (error.status !== 401) throw error;
      return createSession().then(send);
    });
  }

  function money(minor, currency) {
    var format = new Intl.NumberFormat(undefined, { style: 'currency', currency: currency });
    return format.format(minor / Math.pow(10, format.resolvedOptions().maximumFractionDigits));
  }

  function row(table, cells, className) {
    var tr = table.insertRow();
    if (className) tr.className = className;
    cells.forEach(function (text, i) {
      var td = tr.insertCell();
      td.textContent = text;
      if (i === cells.length - 1) td.className = 'amount';
    });
  }

  function renderReceipt(entry) {
    var r = entry.receipt;
    var li = document.createElement('li');
    li.className = 'receipt';
    li.dataset.purchaseId = entry.purchaseId;
    var title = document.createElement('h3');
    title.textContent = new Date(r.tripEndedAt).toLocaleString() + ' \\u00b7 ' + r.storeId;
    li.appendChild(title);
    var table = document.createElement('table');
    r.lines.forEach(function (line) {
      var quantity = line.unit === 'each' ? Number(line.quantity) + ' \\u00d7 ' : line.quantity + ' ' + line.unit + ' ';
      row(table, [quantity + line.name, money(line.grossMinor, r.currency)], 'line');
      line.discounts.forEach(function (d) { row(table, ['  ' + d.name, '\\u2212' + money(d.amountMinor, r.currency)], 'discount'); });
    });
    row(table, ['Subtotal', money(r.subtotalMinor, r.currency)], 'sum');
    if (r.savingsMinor > 0) row(table, ['Savings', '\\u2212' + money(r.savingsMinor, r.currency)], 'discount');
    row(table, ['Tax', money(r.taxMinor, r.currency)]);
    row(table, ['Total', money(r.totalMinor, r.currency)], 'total');
    var paid = r.payment.method === 'CARD' ? 'Paid by card' : r.payment.method === 'CASH' ? 'Pay in cash' : 'Not charged';
    row(table, [paid, money(r.payment.capturedMinor, r.currency)]);
    if (r.payment.outstandingMinor > 0) row(table, ['Outstanding', money(r.payment.outstandingMinor, r.currency)], 'total');
    (r.refunds || []).forEach(function (refund) {
      row(table, ['Refunded' + (refund.reason ? ' (' + refund.reason + ')' : ''), '\\u2212' + money(refund.amountMinor, r.currency)], 'discount');
    });
    li.appendChild(table);
    return li;
  }

  function loadReceipts() {
    return call('GET', '/app/v1/receipts').then(function (body) {
      var list = $('receipts');
      list.replaceChildren.apply(list, body.receipts.map(renderReceipt));
      $('no-receipts').hidden = body.receipts.length > 0;
    });
  }

  function showCountdown(expiresAt) {
    clearInterval(countdownTimer);
    function tick() {
      var seconds = Math.max(0, Math.round((Date.parse(expiresAt) - Date.now()) / 1000));
      $('expiry').textContent = 'Valid for ' + seconds + ' s';
    }
    tick();
    countdownTimer = setInterval(tick, 1000);
  }

  function renewScanKey() {
    clearTimeout(renewTimer);
    return call('POST', '/app/v1/scan-keys').then(function (key) {
      $('scan-key-error').textContent = '';
      $('qr').innerHTML = key.qrSvg;
      $('code').textContent = key.code;
      $('qr').dataset.expiresAt = key.expiresAt;
      showCountdown(key.expiresAt);
      renewTimer = setTimeout(renewScanKey, Math.max(1000, Date.parse(key.expiresAt) - Date.now() - RENEW_BEFORE_EXPIRY_MS));
      loadReceipts().catch(function () { /* the list stays as it was; the next renewal tries again */ });
    }).catch(function (error) {
      if (error.status === 401) return signOut('Please sign in again: ' + error.message);
      $('qr').replaceChildren();
      $('code').textContent = '';
      $('expiry').textContent = '';
      $('scan-key-error').textContent = error.message;
      renewTimer = setTimeout(renewScanKey, 10000);
    });
  }

  function signIn() {
    return call('GET', '/app/v1/me').then(function (me) {
      sessionStorage.setItem(TOKEN_KEY, token);
      $('shopper-name').textContent = me.name;
      $('sign-in').hidden = true;
      $('signed-in').hidden = false;
      $('sign-in-error').textContent = '';
      return Promise.all([renewScanKey(), loadReceipts()]);
    }).catch(function (error) {
      signOut(error.status === 401 ? 'Unknown app token.' : error.message);
    });
  }

  function signOut(message) {
    clearTimeout(renewTimer);
    clearInterval(countdownTimer);
    token = null;
    session = null;
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(SESSION_KEY);
    $('qr').replaceChildren();
    $('code').textContent = '';
    $('signed-in').hidden = true;
    $('sign-in').hidden = false;
    $('sign-in-error').textContent = message || '';
  }

  $('sign-in-form').addEventListener('submit', function (event) {
    event.preventDefault();
    token = $('token').value.trim();
    session = null;
    signIn();
  });
  $('sign-out').addEventListener('click', function () { signOut(); });
  if (token) signIn();
})();
`;
