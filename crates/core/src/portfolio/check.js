// The export's own check, run in the browser that opened index.html, offline: the reader
// chooses the ZIP; this reads it, checks manifest.json against seal.json (Ed25519, through
// Web Crypto), every file against the manifest's SHA-256, and each item of portfolio.json
// against the manifest's copy of it, and marks each item on this page Verified or Altered.
// The rules are the core's (portfolio/verify_zip.rs); the signature logs are checked only by
// `pocketfolio-centre verify-export`. Nothing is sent anywhere.
(function () {
  'use strict';
  var input = document.getElementById('check-zip');
  var result = document.getElementById('check-result');
  if (!input || !result) return;
  var page = JSON.parse(document.getElementById('check-page').textContent);

  function say(text, state) {
    result.textContent = text;
    result.className = 'check-' + state;
  }

  input.addEventListener('change', function () {
    var file = input.files && input.files[0];
    if (!file) return;
    say('Checking ' + file.name + '…', 'busy');
    file.arrayBuffer()
      .then(function (buffer) { return check(new Uint8Array(buffer)); })
      .catch(function (e) {
        say('This file could not be checked: ' + (e && e.message ? e.message : e), 'altered');
      });
  });

  function u16(b, at) { return b[at] | (b[at + 1] << 8); }
  function u32(b, at) { return (u16(b, at) + u16(b, at + 2) * 65536); }
  function u64(b, at) { return u32(b, at) + u32(b, at + 4) * 4294967296; }

  // The ZIP's entries by name, each read (and inflated) when asked for.
  function entries(b) {
    var end = -1;
    for (var i = b.length - 22; i >= Math.max(0, b.length - 22 - 65535); i--) {
      if (u32(b, i) === 0x06054b50) { end = i; break; }
    }
    if (end < 0) throw new Error('it is not a ZIP file.');
    var count = u16(b, end + 10);
    var at = u32(b, end + 16);
    if ((at === 0xffffffff || count === 0xffff) && end >= 20 && u32(b, end - 20) === 0x07064b50) {
      var z64 = u64(b, end - 12);
      count = u64(b, z64 + 32);
      at = u64(b, z64 + 48);
    }
    var found = new Map();
    for (var n = 0; n < count; n++) {
      if (u32(b, at) !== 0x02014b50) throw new Error('its directory is damaged.');
      var method = u16(b, at + 10);
      var size = u32(b, at + 20);
      var nameLength = u16(b, at + 28);
      var extraLength = u16(b, at + 30);
      var commentLength = u16(b, at + 32);
      var local = u32(b, at + 42);
      var name = new TextDecoder().decode(b.subarray(at + 46, at + 46 + nameLength));
      var extra = at + 46 + nameLength;
      for (var e = extra; e + 4 <= extra + extraLength;) {
        var id = u16(b, e), length = u16(b, e + 2), field = e + 4;
        if (id === 1) {
          if (u32(b, at + 24) === 0xffffffff) field += 8;
          if (size === 0xffffffff) { size = u64(b, field); field += 8; }
          if (local === 0xffffffff) local = u64(b, field);
        }
        e += 4 + length;
      }
      found.set(name, { method: method, size: size, local: local });
      at = extra + extraLength + commentLength;
    }
    return {
      names: Array.from(found.keys()),
      read: function (name) {
        var entry = found.get(name);
        if (!entry) return Promise.resolve(null);
        var start = entry.local + 30 + u16(b, entry.local + 26) + u16(b, entry.local + 28);
        var raw = b.subarray(start, start + entry.size);
        if (entry.method === 0) return Promise.resolve(raw);
        if (entry.method !== 8) return Promise.reject(new Error(name + ' is packed in a way this page cannot read.'));
        if (typeof DecompressionStream === 'undefined') {
          return Promise.reject(new Error('this browser cannot unpack a ZIP (no DecompressionStream); use pocketfolio-centre verify-export.'));
        }
        var stream = new Blob([raw]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
        return new Response(stream).arrayBuffer().then(function (x) { return new Uint8Array(x); });
      },
    };
  }

  function hex(buffer) {
    return Array.from(new Uint8Array(buffer), function (x) { return x.toString(16).padStart(2, '0'); }).join('');
  }
  function unhex(text) {
    var out = new Uint8Array(text.length / 2);
    for (var i = 0; i < out.length; i++) out[i] = parseInt(text.substr(i * 2, 2), 16);
    return out;
  }
  function sha256(bytes) { return crypto.subtle.digest('SHA-256', bytes).then(hex); }

  function same(a, b) {
    if (a === b) return true;
    if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
    if (Array.isArray(a) !== Array.isArray(b)) return false;
    var ka = Object.keys(a), kb = Object.keys(b);
    if (ka.length !== kb.length) return false;
    return ka.every(function (k) { return Object.prototype.hasOwnProperty.call(b, k) && same(a[k], b[k]); });
  }

  // What the seal says: {state: 'sealed' | 'unsealed' | 'broken' | 'unchecked', text}.
  function checkSeal(manifest, sealBytes) {
    if (!sealBytes) {
      return Promise.resolve({ state: 'unsealed', text: 'This export is not sealed, so a rewrite of its data and its manifest together would not show.' });
    }
    var seal;
    try { seal = JSON.parse(new TextDecoder().decode(sealBytes)); } catch (e) {
      return Promise.resolve({ state: 'broken', text: 'The seal cannot be read.' });
    }
    if (seal.algorithm !== 'Ed25519' || !/^[0-9a-f]{64}$/.test(seal.public_key || '') || !/^[0-9a-f]{128}$/.test(seal.signature || '')) {
      return Promise.resolve({ state: 'broken', text: 'The seal is damaged.' });
    }
    var key = unhex(seal.public_key);
    return crypto.subtle.digest('SHA-256', key).then(function (digest) {
      var fingerprint = hex(digest).slice(0, 32).match(/.{4}/g).join(' ');
      var who = 'sealed by ' + seal.signer + ' with the key ' + fingerprint;
      var compare = ' Compare that key with ' + (seal.published_at || "the one its owner publishes") +
        ': anyone can seal a ZIP with a key of their own.';
      return crypto.subtle.importKey('raw', key, { name: 'Ed25519' }, false, ['verify'])
        .then(function (k) { return crypto.subtle.verify({ name: 'Ed25519' }, k, unhex(seal.signature), manifest); })
        .then(function (ok) {
          return ok
            ? { state: 'sealed', text: 'The seal holds: ' + who + '.' + compare }
            : { state: 'broken', text: 'The seal does not hold: manifest.json was changed after the export was made, so nothing it lists can be trusted.' };
        }, function () {
          return { state: 'unchecked', text: 'This browser cannot check the seal (its Web Crypto has no Ed25519), so a rewrite of the data and the manifest together would not show here. The files were checked against the manifest; check the seal with pocketfolio-centre verify-export. The export says it was ' + who + '.' };
        });
    });
  }

  function check(bytes) {
    if (!window.crypto || !crypto.subtle) {
      say('This browser cannot work out file hashes here (no Web Crypto), so it cannot check this export. Use pocketfolio-centre verify-export.', 'altered');
      return Promise.resolve();
    }
    var zip = entries(bytes);
    var manifestBytes, manifest, portfolio, seal;
    var global = [];
    var problems = new Map();
    function problem(id, text) {
      if (!problems.has(id)) problems.set(id, []);
      problems.get(id).push(text);
    }
    return Promise.all([zip.read('manifest.json'), zip.read('seal.json'), zip.read('portfolio.json')])
      .then(function (files) {
        if (!files[0]) throw new Error('it has no manifest.json, so it is not a portfolio export.');
        if (!files[2]) throw new Error('it has no portfolio.json, so it is not a portfolio export.');
        manifestBytes = files[0];
        manifest = JSON.parse(new TextDecoder().decode(files[0]));
        portfolio = JSON.parse(new TextDecoder().decode(files[2]));
        return checkSeal(manifestBytes, files[1]);
      })
      .then(function (s) {
        seal = s;
        var listed = new Set(['manifest.json', 'seal.json']);
        var checks = [];
        (manifest.files || []).forEach(function (f) {
          listed.add(f.path);
          checks.push(zip.read(f.path).then(function (b) {
            if (!b) return global.push(f.path + ' is missing');
            return sha256(b).then(function (h) { if (h !== f.sha256) global.push(f.path + ' has changed'); });
          }));
        });
        var byId = new Map((portfolio.items || []).map(function (e) { return [e.item && e.item.id, e]; }));
        (manifest.items || []).forEach(function (item) {
          problems.set(item.id, []);
          var exported = byId.get(item.id);
          byId.delete(item.id);
          if (!exported) problem(item.id, 'it is missing from portfolio.json');
          else if (item.record && !same(exported, item.record)) problem(item.id, 'its record in portfolio.json has changed');
          (item.files || []).forEach(function (f) {
            listed.add(f.path);
            checks.push(zip.read(f.path).then(function (b) {
              if (!b) return problem(item.id, 'the attachment ' + f.path + ' is missing');
              return sha256(b).then(function (h) { if (h !== f.sha256) problem(item.id, 'the attachment ' + f.path + ' has changed'); });
            }));
          });
          if (seal.state === 'broken') problem(item.id, 'the seal does not hold');
        });
        byId.forEach(function (e, id) { problem(id, 'it is not in the manifest'); });
        if (manifest.format >= 2) {
          zip.names.forEach(function (n) { if (!listed.has(n) && !n.endsWith('/')) global.push(n + ' was added: the manifest does not list it'); });
        }
        return Promise.all(checks);
      })
      .then(function () { show(seal, global, problems, portfolio.exported_ms); });
  }

  function show(seal, global, problems, exportedMs) {
    var altered = 0;
    document.querySelectorAll('[data-check-item]').forEach(function (slot) {
      var id = slot.getAttribute('data-check-item');
      slot.hidden = false;
      if (!problems.has(id)) {
        slot.textContent = 'Not checked: this item is not in the ZIP you chose.';
        slot.className = 'check check-unchecked';
        return;
      }
      var found = problems.get(id);
      if (found.length === 0) {
        slot.textContent = 'Verified' + (seal.state === 'sealed' ? '' : ' against the manifest (the seal was not checked)');
        slot.className = 'check check-verified';
      } else {
        altered++;
        slot.textContent = 'Altered: ' + found.join('; ') + '.';
        slot.className = 'check check-altered';
      }
    });
    var lines = [seal.text];
    var other = exportedMs !== page.exported_ms;
    if (other) {
      lines.push('The ZIP you chose is a different export from the one this page came from.');
    }
    global.forEach(function (g) { lines.push('Altered: ' + g + '.'); });
    var whole = seal.state === 'sealed' && global.length === 0 && altered === 0 && !other;
    lines.unshift(whole
      ? 'Verified: every item and file is as it was exported.'
      : altered + ' of ' + problems.size + ' items altered' + (global.length ? ', and files beside them' : '') + '.');
    say(lines.join(' '), whole ? 'verified' : seal.state === 'unchecked' && altered === 0 && global.length === 0 ? 'unchecked' : 'altered');
  }
}());
