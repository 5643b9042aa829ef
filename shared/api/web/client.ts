/**
 * The pages' one small script, plain ES2017 for old phone browsers, served by the app at a
 * content-hashed URL. It only improves pages that already work without it (forms post to the
 * server): the upload list with thumbnails, reorder, retake and per-page progress; zoom of page
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
  function kb(n) { return n >= 1048576 ? (n / 1048576).toFixed(1) + " MB" : Math.max(1, Math.round(n / 1024)) + " KB"; }

  // ---- upload: a list of pages in order, sent as one multipart POST ----------------------------
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
    var pages = [];
    var retakeIndex = -1;

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
        p.bar = bar;
        var tools = el("div", { class: "tools" }, [
          el("button", { type: "button", class: "secondary small", "data-act": "up", "data-i": String(i), "aria-label": T.moveUp + ": " + name, text: "↑ " + T.moveUp }),
          el("button", { type: "button", class: "secondary small", "data-act": "down", "data-i": String(i), "aria-label": T.moveDown + ": " + name, text: "↓ " + T.moveDown }),
          el("button", { type: "button", class: "secondary small", "data-act": "retake", "data-i": String(i), "aria-label": T.retake + ": " + name, text: T.retake }),
          el("button", { type: "button", class: "secondary small", "data-act": "remove", "data-i": String(i), "aria-label": T.remove + ": " + name, text: T.remove })
        ]);
        tools.children[0].disabled = i === 0;
        tools.children[1].disabled = i === pages.length - 1;
        list.appendChild(el("li", { "data-n": String(n) }, [
          el("img", { src: p.url, alt: name }),
          el("div", {}, [
            el("div", { class: "name", text: name }),
            el("div", { class: "hint", text: p.file.name + " · " + kb(p.file.size) }),
            bar, tools
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

    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      if (pages.length === 0) { say(status, T.noPagesYet, "bad"); (camera || picker).focus(); return; }
      var data = new FormData();
      data.append("cellId", cell.value);
      pages.forEach(function (p, i) { data.append("pages", p.file, "page-" + (i + 1) + "-" + p.file.name); });
      var total = pages.reduce(function (s, p) { return s + p.file.size; }, 0);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", "/api/meetings");
      xhr.setRequestHeader("accept", "application/json");
      button.disabled = true;
      say(status, T.uploading + "…");
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
        say(status, T.reading);
      };
      xhr.onload = function () {
        var body = null;
        try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
        if ((xhr.status === 200 || xhr.status === 201) && body && body.id) {
          say(status, T.uploaded, "good");
          var q = [];
          if (!body.created) q.push("duplicate=1");
          if (month && month.value) q.push("uploadMonth=" + encodeURIComponent(month.value));
          location.assign("/meetings/" + encodeURIComponent(body.id) + (q.length ? "?" + q.join("&") : ""));
          return;
        }
        button.disabled = false;
        say(status, errorText(body, T.uploadFailed), "bad");
        status.focus();
      };
      xhr.onerror = xhr.ontimeout = function () {
        button.disabled = false;
        say(status, T.uploadFailed, "bad");
        status.focus();
      };
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
