// Progressive enhancement only: every form works without this file.
(function () {
  'use strict';
  // Move focus to the error summary so screen-reader users hear what went wrong.
  var summary = document.getElementById('error-summary');
  if (summary) summary.focus();

  // The main menu is a <details> disclosure, folded on phones. On a wide screen the stylesheet shows it
  // (::details-content, without JavaScript); here it is also opened, so that browsers without that selector
  // show it and assistive technology hears it as expanded.
  var menu = document.querySelector('details[data-wide-open]');
  if (menu && window.matchMedia) {
    var wide = window.matchMedia('(min-width: 48rem)');
    var sync = function () { menu.open = wide.matches; };
    sync();
    if (wide.addEventListener) wide.addEventListener('change', sync);
  }

  // Show upload progress for large CSV files (the form still posts normally without JavaScript).
  document.querySelectorAll('form[data-upload-progress]').forEach(function (form) {
    form.addEventListener('submit', function (ev) {
      var input = form.querySelector('input[type=file]');
      var bar = form.querySelector('progress');
      if (!input || !input.files || !input.files[0] || !bar || !window.XMLHttpRequest) return;
      if (input.files[0].size < 512 * 1024) return; // small files: plain submit
      ev.preventDefault();
      bar.hidden = false;
      var xhr = new XMLHttpRequest();
      xhr.open('POST', form.action);
      xhr.upload.onprogress = function (e) {
        if (e.lengthComputable) bar.value = Math.round((e.loaded / e.total) * 100);
      };
      xhr.onload = function () {
        window.location.href = xhr.responseURL || form.action;
      };
      xhr.send(new FormData(form));
    });
  });

  // A live figure (the response rate of a survey): refreshed every 30 seconds while the page is open,
  // with a button beside it to pause and resume the updates (JIS X 8341-3 / WCAG 2.2.2).
  document.querySelectorAll('[data-live]').forEach(function (el) {
    if (!window.fetch) return;
    var paused = false;
    var toggle = document.createElement('button');
    toggle.type = 'button';
    toggle.className = 'button button--small live-toggle';
    toggle.setAttribute('aria-pressed', 'false');
    toggle.textContent = el.getAttribute('data-live-pause') || '自動更新を止める';
    toggle.addEventListener('click', function () {
      paused = !paused;
      toggle.setAttribute('aria-pressed', paused ? 'true' : 'false');
      toggle.textContent = paused ? el.getAttribute('data-live-resume') || '自動更新を再開する' : el.getAttribute('data-live-pause') || '自動更新を止める';
    });
    el.parentNode.insertBefore(toggle, el.nextSibling);
    var refresh = function () {
      fetch(el.getAttribute('data-live'), { credentials: 'same-origin', headers: { Accept: 'application/json' } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (d) {
          if (!d || typeof d.responded !== 'number') return;
          var text = el.textContent || '';
          // Keep the page's own wording: only the three figures change.
          var n = 0;
          el.textContent = text.replace(/\d+(?:\.\d+)?/g, function (m) {
            n++;
            // The rate keeps the page's one decimal place (half up, as the server rounds it).
            return n === 1 ? String(d.responded) : n === 2 ? String(d.invited) : n === 3 && d.responseRate !== null ? Number(d.responseRate).toFixed(1) : m;
          });
        })
        .catch(function () {});
    };
    setInterval(function () {
      if (!paused) refresh();
    }, 30000);
  });
})();
