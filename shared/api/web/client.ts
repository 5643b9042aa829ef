/**
 * The pages' one small script, plain ES2017 for old phone browsers, served by the app at a
 * content-hashed URL. It only improves pages that already work without it (forms post to the
 * server): the upload list with thumbnails, reorder, retake and per-page progress (one multipart
 * POST to the app, or, in AWS, one presigned PUT per page straight to S3); zoom of page
 * images; inline corrections through the JSON API with the version check; building a report.
 *
 * It is kept as a string (not a file read at run time) so the esbuild-bundled Lambda serves it
 * with no extra asset step. No backticks or dollar-brace in here: the source is a String.raw
 * template. The browser tests exercise every part of it.
 */
export const CLIENT_JS = String.raw`
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var T = {};
  try { T = JSON.parse((document.getElementById("bb-i18n") || {}).textContent || "{}"); } catch (e) { T = {}; }
  var lang = document.documentElement.lang === "en" ? "en" : "vi";

  function el(tag, attrs, children) {
    var n = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") n.textContent = attrs[k];
      else if (k === "class") n.className = attrs[k];
      else n.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) n.appendChild(c); });
    return n;
  }
  function say(node, text, kind) {
    if (!node) return;
    node.textContent = text;
    node.className = "notice" + (kind ? " " + kind : "");
    node.hidden = !text;
  }
  function errorText(body, fallback) {
    if (body && body.error) return lang === "en" ? body.error.messageEn : body.error.message;
    return fallback;
  }
  function remember(name, value) {
    try { localStorage.setItem("bienban." + name, value); } catch (e) { /* private mode */ }
    document.cookie = name + "=" + encodeURIComponent(value) + ";path=/;max-age=31536000;samesite=lax";
  }
  function recalled(name) {
    try { return localStorage.getItem("bienban." + name); } catch (e) { return null; }
  }
  /** A message with its page number: "Trang {n} …" */
  function fill(text, n) { return String(text || "").replace("{n}", String(n)); }
  function kb(n) { return n >= 1048576 ? (n / 1048576).toFixed(1) + " MB" : Math.max(1, Math.round(n / 1024)) + " KB"; }

  // ---- upload: a list of pages in order -------------------------------------------------------
  // inline (local stack): one multipart POST /api/meetings that the app reads itself;
  // direct (AWS): POST /api/uploads signs one PUT per page, each page goes straight to S3, and the
  // page asks GET /api/uploads/:id until the ingest function has read them.
  var DIRECT_TYPES = ["image/jpeg", "image/png"];
  var POLL_MS = 2500;
  var POLL_LIMIT_MS = 3 * 60 * 1000;
  function upload() {
    var form = document.getElementById("upload-form");
    if (!form) return;
    var cell = form.elements.namedItem("cellId");
    var month = form.elements.namedItem("month");
    [cell, month].forEach(function (input) {
      if (!input) return;
      var saved = recalled(input.name);
      if (saved) {
        if (input.tagName === "SELECT") {
          for (var i = 0; i < input.options.length; i++) if (input.options[i].value === saved) input.value = saved;
        } else input.value = saved;
      }
      input.addEventListener("change", function () { remember(input.name, input.value); });
    });
    var camera = document.getElementById("camera");
    var picker = document.getElementById("picker");
    var retakeInput = document.getElementById("retake");
    var list = document.getElementById("page-list");
    var empty = document.getElementById("no-pages");
    var status = document.getElementById("upload-status");
    var button = form.querySelector("button[type=submit]");
    var direct = form.getAttribute("data-upload-mode") === "direct";
    var pages = [];
    var retakeIndex = -1;
    // while pages are being sent the list is locked: reordering then would mix up pages and URLs
    var busy = false;

    function add(files) {
      for (var i = 0; i < files.length; i++) pages.push({ file: files[i], url: URL.createObjectURL(files[i]) });
      render();
    }
    function render(focusSelector) {
      list.textContent = "";
      empty.hidden = pages.length > 0;
      pages.forEach(function (p, i) {
        var n = i + 1;
        var name = T.pageN + " " + n;
        var bar = el("progress", { max: "100", value: "0", "aria-label": T.uploading + ": " + name });
        var state = el("div", { class: "pstate" });
        p.bar = bar;
        p.state = state;
        var tools = el("div", { class: "tools" }, [
          el("button", { type: "button", class: "secondary small", "data-act": "up", "data-i": String(i), "aria-label": T.moveUp + ": " + name, text: "↑ " + T.moveUp }),
          el("button", { type: "button", class: "secondary small", "data-act": "down", "data-i": String(i), "aria-label": T.moveDown + ": " + name, text: "↓ " + T.moveDown }),
          el("button", { type: "button", class: "secondary small", "data-act": "retake", "data-i": String(i), "aria-label": T.retake + ": " + name, text: T.retake }),
          el("button", { type: "button", class: "secondary small", "data-act": "remove", "data-i": String(i), "aria-label": T.remove + ": " + name, text: T.remove })
        ]);
        tools.children[0].disabled = busy || i === 0;
        tools.children[1].disabled = busy || i === pages.length - 1;
        tools.children[2].disabled = busy;
        tools.children[3].disabled = busy;
        list.appendChild(el("li", { "data-n": String(n) }, [
          el("img", { src: p.url, alt: name }),
          el("div", {}, [
            el("div", { class: "name", text: name }),
            el("div", { class: "hint", text: p.file.name + " · " + kb(p.file.size) }),
            bar, state, tools
          ])
        ]));
      });
      if (focusSelector) {
        var target = list.querySelector(focusSelector);
        if (target && !target.disabled) target.focus();
        else if (target) { var alt = target.parentNode.querySelector("button:not([disabled])"); if (alt) alt.focus(); }
      }
    }
    list.addEventListener("click", function (ev) {
      var b = ev.target.closest("button[data-act]");
      if (!b) return;
      var i = Number(b.dataset.i);
      var act = b.dataset.act;
      if (act === "up" && i > 0) { pages.splice(i - 1, 0, pages.splice(i, 1)[0]); render("button[data-act=up][data-i='" + (i - 1) + "']"); }
      else if (act === "down" && i < pages.length - 1) { pages.splice(i + 1, 0, pages.splice(i, 1)[0]); render("button[data-act=down][data-i='" + (i + 1) + "']"); }
      else if (act === "remove") { URL.revokeObjectURL(pages[i].url); pages.splice(i, 1); render(); (camera || picker).focus(); }
      else if (act === "retake") { retakeIndex = i; retakeInput.click(); }
    });
    camera.addEventListener("change", function () { add(camera.files); camera.value = ""; });
    picker.addEventListener("change", function () { add(picker.files); picker.value = ""; });
    retakeInput.addEventListener("change", function () {
      var f = retakeInput.files[0];
      if (f && pages[retakeIndex]) {
        URL.revokeObjectURL(pages[retakeIndex].url);
        pages[retakeIndex] = { file: f, url: URL.createObjectURL(f) };
        render("button[data-act=retake][data-i='" + retakeIndex + "']");
      }
      retakeInput.value = "";
    });
    // the JS list replaces the inputs' own selection, so the inputs are no longer required
    camera.required = false; picker.required = false;

    function lock(on) {
      busy = on;
      button.disabled = on;
      camera.disabled = on; picker.disabled = on;
      var tools = list.querySelectorAll("button[data-act]");
      for (var i = 0; i < tools.length; i++) {
        var act = tools[i].dataset.act;
        var n = Number(tools[i].dataset.i);
        tools[i].disabled = on || (act === "up" && n === 0) || (act === "down" && n === pages.length - 1);
      }
    }
    function mark(p, text, kind) {
      p.state.textContent = text;
      p.state.className = "pstate" + (kind ? " " + kind : "");
    }
    function stop(message) {
      lock(false);
      say(status, message, "bad");
      status.focus();
    }
    function goToMeeting(id, created) {
      var q = [];
      if (created === false) q.push("duplicate=1");
      if (month && month.value) q.push("uploadMonth=" + encodeURIComponent(month.value));
      location.assign("/meetings/" + encodeURIComponent(id) + (q.length ? "?" + q.join("&") : ""));
    }
    function jsonOf(r) {
      return r.json().catch(function () { return null; }).then(function (body) { return { status: r.status, body: body }; });
    }

    // One page to its presigned URL, with exactly the signed headers. XMLHttpRequest, not fetch:
    // only it reports upload progress. A dropped connection or a server error is tried once more;
    // a refusal (403: the signature does not match the bytes, or the URL expired) cannot get better.
    function putPage(p, n, signed, retried) {
      return new Promise(function (resolve, reject) {
        var xhr = new XMLHttpRequest();
        xhr.open("PUT", signed.url);
        Object.keys(signed.headers || {}).forEach(function (h) { xhr.setRequestHeader(h, signed.headers[h]); });
        mark(p, retried ? T.pageRetrying : T.pageSending);
        p.bar.value = 0;
        xhr.upload.onprogress = function (e) {
          // 100 only once storage has said yes
          if (e.lengthComputable) p.bar.value = Math.min(99, Math.round((e.loaded / Math.max(1, e.total)) * 100));
        };
        xhr.onload = function () {
          if (xhr.status >= 200 && xhr.status < 300) { p.bar.value = 100; mark(p, T.pageDone, "good"); resolve(); }
          else reject(xhr.status);
        };
        xhr.onerror = xhr.ontimeout = function () { reject(0); };
        xhr.send(p.file);
      }).catch(function (code) {
        var transient = code === 0 || code === 408 || code === 429 || code >= 500;
        if (transient && !retried) return putPage(p, n, signed, true);
        p.bar.value = 0;
        mark(p, T.pageRefusedShort, "bad");
        throw new Error(fill(transient ? T.pageFailed : T.pageRefused, n));
      });
    }

    function waitForMeeting(uploadId) {
      var started = Date.now();
      say(status, T.reading, "busy");
      function next() {
        if (Date.now() - started >= POLL_LIMIT_MS) {
          // the pages are all in storage and the meeting appears once read: the list is cleared so
          // that Send is for the next meeting, not these pages again
          pages.forEach(function (p) { URL.revokeObjectURL(p.url); });
          pages = [];
          lock(false);
          render();
          say(status, T.readingSlow);
          status.focus();
          return;
        }
        setTimeout(ask, POLL_MS);
      }
      function ask() {
        fetch("/api/uploads/" + encodeURIComponent(uploadId), { credentials: "same-origin", headers: { accept: "application/json" } })
          .then(jsonOf)
          .then(function (r) {
            var b = r.body || {};
            // 404: the ingest function has not recorded anything yet
            if (r.status === 200 && b.status === "done" && b.meetingId) { say(status, T.uploaded, "good"); goToMeeting(b.meetingId); return; }
            if (r.status === 200 && b.status === "failed") { stop(failureText(b.code)); return; }
            if (r.status === 401 || r.status === 403) { stop(errorText(b, T.uploadFailed)); return; }
            if (b.status === "retrying") say(status, T.readingRetry, "busy");
            next();
          }, next);
      }
      next();
    }
    function failureText(code) {
      var codes = T.codes || {};
      var c = String(code || "");
      var text = codes[c] || (c.indexOf("TEXTRACT_") === 0 ? codes.TEXTRACT_FAILED : "") || T.readFailed;
      return text + (c ? " (" + c + ")" : "");
    }

    function sendDirect() {
      for (var i = 0; i < pages.length; i++) {
        if (DIRECT_TYPES.indexOf(pages[i].file.type) < 0) { mark(pages[i], T.pageRefusedShort, "bad"); stop(fill(T.unsupportedType, i + 1)); return; }
      }
      lock(true);
      pages.forEach(function (p) { p.bar.value = 0; mark(p, T.pageWaiting); });
      say(status, T.preparing, "busy");
      fetch("/api/uploads", {
        method: "POST",
        credentials: "same-origin",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ cellId: cell.value, pages: pages.map(function (p) { return { contentType: p.file.type, bytes: p.file.size }; }) })
      }).then(jsonOf).then(function (r) {
        var b = r.body;
        if (r.status !== 201 || !b || !b.uploadId || !b.pages || b.pages.length !== pages.length) throw new Error(errorText(b, T.uploadFailed));
        say(status, T.uploading + "…", "busy");
        // one page after another: on a weak connection parallel PUTs only slow each other down,
        // and a refused page stops the rest from being sent for nothing
        var chain = Promise.resolve();
        b.pages.forEach(function (signed, i) {
          chain = chain.then(function () { return putPage(pages[i], i + 1, signed, false); });
        });
        return chain.then(function () { waitForMeeting(b.uploadId); });
      }).catch(function (err) {
        stop(err && err.message ? err.message : T.uploadFailed);
      });
    }

    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      if (pages.length === 0) { say(status, T.noPagesYet, "bad"); (camera || picker).focus(); return; }
      if (direct) { sendDirect(); return; }
      var data = new FormData();
      data.append("cellId", cell.value);
      pages.forEach(function (p, i) { data.append("pages", p.file, "page-" + (i + 1) + "-" + p.file.name); });
      var total = pages.reduce(function (s, p) { return s + p.file.size; }, 0);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", "/api/meetings");
      xhr.setRequestHeader("accept", "application/json");
      lock(true);
      say(status, T.uploading + "…", "busy");
      // one request carries every page: each page's bar follows its share of the bytes sent
      xhr.upload.onprogress = function (e) {
        if (!e.lengthComputable) return;
        var sent = e.loaded * (total / e.total);
        var start = 0;
        pages.forEach(function (p) {
          var part = Math.max(0, Math.min(1, (sent - start) / Math.max(1, p.file.size)));
          p.bar.value = Math.round(part * 100);
          start += p.file.size;
        });
      };
      xhr.upload.onload = function () {
        pages.forEach(function (p) { p.bar.value = 100; });
        say(status, T.reading, "busy");
      };
      xhr.onload = function () {
        var body = null;
        try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
        if ((xhr.status === 200 || xhr.status === 201) && body && body.id) {
          say(status, T.uploaded, "good");
          goToMeeting(body.id, Boolean(body.created));
          return;
        }
        stop(errorText(body, T.uploadFailed));
      };
      xhr.onerror = xhr.ontimeout = function () { stop(T.uploadFailed); };
      xhr.send(data);
    });
    render();
  }

  // ---- meeting: zoom, inline corrections, review -----------------------------------------------
  function meeting() {
    var root = document.getElementById("meeting");
    if (!root) return;
    var viewer = document.querySelector(".viewer");
    var zoom = 1;
    if (viewer) viewer.addEventListener("click", function (ev) {
      var b = ev.target.closest("button[data-zoom]");
      if (!b) return;
      var z = b.dataset.zoom;
      zoom = z === "in" ? Math.min(4, zoom * 1.5) : z === "out" ? Math.max(1, zoom / 1.5) : 1;
      viewer.querySelectorAll(".frame img").forEach(function (img) { img.style.width = Math.round(zoom * 100) + "%"; });
      viewer.querySelector("[data-zoom-level]").textContent = Math.round(zoom * 100) + "%";
    });
    var status = document.getElementById("detail-status");
    function refresh(message, kind) {
      return fetch(location.pathname, { headers: { accept: "text/html" }, credentials: "same-origin" })
        .then(function (r) { return r.text(); })
        .then(function (html) {
          var doc = new DOMParser().parseFromString(html, "text/html");
          var fresh = doc.getElementById("detail");
          var next = doc.getElementById("meeting");
          if (fresh) document.getElementById("detail").innerHTML = fresh.innerHTML;
          if (next) root.dataset.version = next.dataset.version;
          say(status, message, kind);
          status.focus();
        });
    }
    function value(type, raw) {
      var v = String(raw == null ? "" : raw).trim();
      if (v === "") return null;
      if (type === "int") return Number(v);
      if (type === "bool") return v === "true";
      return v;
    }
    document.addEventListener("submit", function (ev) {
      var form = ev.target;
      if (!form.classList || !form.classList.contains("correct")) return;
      ev.preventDefault();
      var input = form.elements.namedItem("value");
      var reason = form.elements.namedItem("reason");
      var out = form.querySelector("[role=alert]");
      var body = { changes: [{ field: form.dataset.field, value: value(form.dataset.type, input.value) }] };
      if (reason && reason.value.trim()) body.reason = reason.value.trim();
      var saveButton = form.querySelector("button[type=submit]");
      saveButton.disabled = true;
      fetch("/api/meetings/" + encodeURIComponent(root.dataset.id), {
        method: "PATCH",
        credentials: "same-origin",
        headers: { "content-type": "application/json", "if-match": '"' + root.dataset.version + '"' },
        body: JSON.stringify(body)
      }).then(function (r) {
        if (r.ok) return refresh(T.saved, "good");
        if (r.status === 412) return refresh(T.conflict, "bad");
        return r.json().catch(function () { return null; }).then(function (b) {
          saveButton.disabled = false;
          out.textContent = errorText(b, T.uploadFailed);
          input.focus();
        });
      }, function () {
        saveButton.disabled = false;
        out.textContent = T.uploadFailed;
      });
    });
  }

  // ---- reports: show the stored report, or build it --------------------------------------------
  function reports() {
    var box = document.getElementById("report");
    if (!box) return;
    var status = document.getElementById("report-status");
    var frame = box.querySelector("iframe");
    var links = box.querySelector(".downloads");
    var build = document.getElementById("build-report");
    function show(ok) {
      frame.hidden = !ok; links.hidden = !ok;
      if (ok) frame.src = box.dataset.html + "?t=" + Date.now();
    }
    fetch(box.dataset.html, { credentials: "same-origin" }).then(function (r) {
      if (r.ok) { show(true); say(status, ""); build.hidden = false; return; }
      show(false);
      return r.json().catch(function () { return null; }).then(function (b) {
        // a 404 for the route itself (reports not deployed) differs from one for a report not built yet
        var noRoute = b && b.error && b.error.messageEn === "No such route.";
        if (noRoute) say(status, T.reportUnavailable, "bad");
        else if (r.status === 404) { say(status, T.reportMissing); build.hidden = false; }
        else say(status, errorText(b, T.uploadFailed), "bad");
      });
    });
    build.addEventListener("click", function () {
      build.disabled = true;
      say(status, T.generating);
      fetch(box.dataset.build, { method: "POST", credentials: "same-origin", headers: { accept: "application/json" } }).then(function (r) {
        build.disabled = false;
        if (r.ok) { say(status, ""); show(true); return; }
        return r.json().catch(function () { return null; }).then(function (b) {
          var noRoute = b && b.error && b.error.messageEn === "No such route.";
          say(status, noRoute ? T.reportUnavailable : errorText(b, T.uploadFailed), "bad");
        });
      }, function () { build.disabled = false; say(status, T.uploadFailed, "bad"); });
    });
  }

  upload();
  meeting();
  reports();
})();
`;
