/*
 * Sapa loader: the one script a site owner pastes.
 *   <script src="https://EDGE/widget.js" data-site="SITE_ID" data-color="#2f6df6" async></script>
 * (data-color, the site's accent, is optional: it lets a first visit's launcher be in the site's colour before
 * the site's settings are fetched; later visits use the settings this browser kept.)
 * It draws the launcher in a Shadow DOM and does nothing else (no network, no storage writes) until the
 * visitor shows intent: hover, focus, touch or click. If this browser already has a chat with the site,
 * the app loads when the page is idle, so replies that arrived meanwhile can show.
 * window.Sapa(command, arg) works at once: calls made before the app loads are queued (a page may also define
 * `window.Sapa = function () { (Sapa.q = Sapa.q || []).push(arguments) }` before this script) and run once it
 * has. Sapa('on', event, fn) registers a listener for ready, open, close, message and unread.
 * Opening before the app has loaded turns the launcher into a spinner at once (busy, expanded, and named
 * "Loading chat…"), so the visitor sees the chat coming on any connection.
 * SAPA_APP_PATH is replaced at build time with the content-hashed app directory.
 */
(function () {
  var script = document.currentScript;
  if (!script || window.__sapaLoaded) return;
  window.__sapaLoaded = true;
  var opts = window.SapaSettings || {};
  var data = script.dataset;
  var site = data.site || opts.site;
  if (!site) return console.warn('Sapa: data-site is missing on the script tag');
  var src = script.src;
  var app = new URL(SAPA_APP_PATH, src).href;
  function num(a, b) {
    var v = Number(a != null ? a : b);
    return a == null && b == null || isNaN(v) ? undefined : v;
  }
  var settings = {
    site_id: site,
    api_base: data.api || opts.api || new URL(src).origin,
    title: data.title || opts.title,
    locale: data.locale || opts.locale,
    theme: data.theme || opts.theme,
    position: data.position || opts.position,
    offset_x: num(data.offsetX, opts.offset_x),
    offset_y: num(data.offsetY, opts.offset_y),
    z_index: num(data.zIndex, opts.z_index),
    open: false
  };
  // The accent the app will use, so the launcher has it from the first frame: the site's settings as this
  // browser last saw them, else the script tag's data-color.
  var color = data.color || opts.color;
  try { color = JSON.parse(localStorage.getItem('sapa:v1:' + site + ':site')).color || color; } catch (e) { /* none */ }
  settings.color = /^#[0-9a-f]{6}$/i.test(color) ? color : undefined;
  var queued = [].slice.call((window.Sapa && window.Sapa.q) || []);
  var listeners = {};
  var mounted = null;
  function emit(event, detail) {
    (listeners[event] || []).forEach(function (fn) {
      try { fn(detail); } catch (e) { console.error(e); }
    });
  }

  var icon = '<svg viewBox="0 0 24 24" width="28" height="28" aria-hidden="true"><path fill="currentColor" ' +
    'd="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"/></svg>';
  var css = ':host{all:initial}' +
    '.sapa-facade{position:fixed;right:20px;bottom:20px;z-index:2147483000;width:56px;height:56px;border:0;' +
    'border-radius:50%;background:#2f6df6;color:#fff;display:grid;place-items:center;cursor:pointer;' +
    'box-shadow:0 4px 14px rgba(0,0,0,.25)}.sapa-facade[hidden]{display:none}' +
    '.sapa-facade:focus-visible{outline:2px solid #fff;outline-offset:2px;box-shadow:0 0 0 4px #1d2330,0 4px 14px rgba(0,0,0,.25)}' +
    // Busy: the icon gives way to a ring turning in the icon's colour.
    '[aria-busy=true] svg{display:none}[aria-busy=true]:after{content:"";width:22px;height:22px;border-radius:50%;' +
    'border:3px solid;border-top-color:transparent;animation:sapa-r .8s linear infinite}@keyframes sapa-r{to{transform:rotate(1turn)}}';
  // The launcher's name in the visitor's language (the app's strings take over once it loads).
  var names = { id: 'Buka obrolan', 'in': 'Buka obrolan', ar: '\u0627\u0641\u062a\u062d \u0627\u0644\u0645\u062d\u0627\u062f\u062b\u0629' };
  var waits = { id: 'Memuat obrolan\u2026', 'in': 'Memuat obrolan\u2026', ar: '\u062c\u0627\u0631\u064d \u062a\u062d\u0645\u064a\u0644 \u0627\u0644\u0645\u062d\u0627\u062f\u062b\u0629\u2026' };
  var language = String(settings.locale || navigator.language || '').split(/[-_]/)[0].toLowerCase();
  // WCAG 2 relative luminance and the text colour the app picks (contrast.rs): white, dark or black, the
  // first at 4.5:1 or more against the accent.
  function luminance(c) {
    return [1, 3, 5].reduce(function (sum, i, k) {
      var v = parseInt(c.slice(i, i + 2), 16) / 255;
      v = v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
      return sum + [0.2126, 0.7152, 0.0722][k] * v;
    }, 0);
  }
  function onAccent(c) {
    var l = luminance(c);
    return ['#ffffff', '#1d2330', '#000000'].filter(function (t) {
      var m = luminance(t);
      return (Math.max(l, m) + 0.05) / (Math.min(l, m) + 0.05) >= 4.5;
    })[0] || '#000000';
  }

  var host = document.createElement('div');
  host.id = 'sapa-chat';
  var root = host.attachShadow({ mode: 'open' });
  var sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  root.adoptedStyleSheets = [sheet];
  var button = document.createElement('button');
  button.className = 'sapa-facade';
  var name = names[language] || 'Open chat';
  button.setAttribute('aria-label', name);
  button.setAttribute('aria-expanded', 'false');
  button.setAttribute('data-testid', 'launcher');
  button.innerHTML = icon;
  // The facade sits where the app will (CSSOM, which a strict style-src allows).
  var side = settings.position === 'left' ? 'left' : 'right';
  var px = function (v) { return (v == null ? 20 : Math.min(400, Math.max(0, v))) + 'px'; };
  button.style.right = 'auto';
  button.style[side] = px(settings.offset_x);
  button.style.bottom = px(settings.offset_y);
  if (settings.z_index != null) button.style.zIndex = String(settings.z_index);
  if (settings.color) {
    button.style.background = settings.color;
    button.style.color = onAccent(settings.color);
  }
  root.appendChild(button);
  // Loading after a request to open (in the same task as the click), and back when that is over.
  function busy(on) {
    button.setAttribute('aria-busy', on);
    button.setAttribute('aria-expanded', on);
    button.setAttribute('aria-label', on ? waits[language] || 'Loading chat\u2026' : name);
  }

  var loading = null;
  function load() {
    if (loading) return loading;
    // The wasm is fetched at once, beside the glue and the split loader it imports, not after them: on a
    // slow link that is a round trip or two sooner.
    var wasm = fetch(app + 'sapa_widget_bg.wasm');
    wasm.catch(function () { /* reported by the import below */ });
    loading = import(app + 'sapa_widget.js')
      .then(function (m) {
        return m.default({ module_or_path: wasm }).then(function () { return m; });
      })
      .then(function (m) {
        var container = document.createElement('div');
        root.appendChild(container);
        // A keyboard visitor who tabbed to the facade stays on the launcher that replaces it.
        var focused = root.activeElement === button;
        m.mount(container, settings, emit);
        button.remove();
        var launcher = container.querySelector('[data-testid=launcher]');
        if (focused && launcher && !settings.open) launcher.focus();
        mounted = m;
        queued.splice(0).forEach(function (c) { m.command(c[0], c[1]); });
      })
      .catch(function (e) {
        loading = null; // the next intent tries again
        busy(false);
        console.warn('Sapa: the chat could not load', e);
      });
    return loading;
  }
  function intent() { load(); }
  button.addEventListener('pointerenter', intent, { once: true });
  button.addEventListener('focus', intent, { once: true });
  button.addEventListener('touchstart', intent, { once: true, passive: true });
  // The intent to open is taken at pointerdown too: a preload started on hover can finish between the press
  // and the release, replacing this button, and then no click event would ever reach it.
  function open() {
    settings.open = true;
    busy(true);
    load();
  }
  button.addEventListener('pointerdown', open);
  button.addEventListener('click', open);

  // Before the app: opening loads it; the launcher can be hidden; everything else waits in the queue.
  function Sapa(cmd, arg, fn) {
    if (cmd === 'on') return void (listeners[arg] = listeners[arg] || []).push(fn);
    if (mounted) return mounted.command(cmd, arg);
    if (cmd === 'open' || cmd === 'toggle') open();
    if (cmd === 'close') busy(settings.open = false);
    if (cmd === 'hideLauncher' || cmd === 'showLauncher') button.hidden = cmd === 'hideLauncher';
    if (cmd === 'reset') try { localStorage.removeItem('sapa:v1:' + site); } catch (e) { /* storage blocked */ }
    queued.push([cmd, arg]);
  }
  window.Sapa = Sapa;

  function attach() {
    document.body.appendChild(host);
    var returning = false;
    try { returning = !!localStorage.getItem('sapa:v1:' + site); } catch (e) { /* storage blocked */ }
    if (returning) (window.requestIdleCallback || setTimeout)(intent);
  }
  if (document.body) attach();
  else document.addEventListener('DOMContentLoaded', attach);
  queued.splice(0).forEach(function (c) { Sapa(c[0], c[1], c[2]); });
})();
