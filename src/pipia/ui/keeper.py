"""Nothing typed is lost: text is committed as it is typed, and the page says plainly when it is not saved.

Streamlit sends a text field's value only when the field is left or Enter is pressed, so text typed and
then refreshed away was lost. A small script in the page (installed once per browser tab) commits a text
field after a pause in typing, the way Enter would (Ctrl+Enter in a text area), never in the middle of
an IME composition and never inside a form (a form sends on its own button). While something typed is
not yet committed, or the server cannot be reached, leaving the page asks first.

A run that takes longer than 200 ms shows a small "saving / working" note in the corner.

While the connection is down, the script shows a banner in the app's language ("reconnecting — changes
are not saved"), turns the sidebar's "saved" into "not saved", and translates Streamlit's own English
connection dialog: Streamlit offers no setting for either.

Text committed just before or while the server was away may never have reached it: the script keeps
those commits and, when the connection is back (a restarted server is a new session that shows what the
store has), puts the text back in its field and sends it again.
"""

from __future__ import annotations

import functools
import json

import streamlit as st

from pipia.i18n import Lang
from pipia.ui.text import t

DEBOUNCE_MS = 800
WORKING_MS = 200  # a run longer than this shows "saving…"
STATUS_KEY = "pipia-save-status"  # the sidebar's save status, which the script marks while offline

_SCRIPT = """
<script>
(() => {
  const said = %(said)s;
  const k = window.__pipiaKeeper || (window.__pipiaKeeper = {pending: new Set(), offline: false});
  k.said = said;
  if (k.installed) { k.refresh && k.refresh(); return; }
  k.installed = true;
  const fieldOf = (el) => (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement)
      && el.closest('.stTextInput, .stTextArea') && !el.closest('[data-testid="stForm"]') ? el : null;
  const keyOf = (el) => {
    const box = el.closest('[class*="st-key-"]');
    const found = box && [...box.classList].find((c) => c.startsWith('st-key-'));
    return found ? found.slice(7) : null;
  };
  const press = (el) => {
    const area = el instanceof HTMLTextAreaElement;
    el.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', code: 'Enter', keyCode: 13, which: 13,
                                                    bubbles: true, cancelable: true, ctrlKey: area}));
  };
  // Commits the server may not have received (sent just before or while the connection was down), so
  // they can be sent again once it is back: {key: value}.
  k.sent = k.sent || new Map();
  const commit = (el) => {
    clearTimeout(el.__pipiaTimer);
    if (!document.contains(el)) { k.pending.delete(el); return; }
    if (el.__pipiaComposing) { el.__pipiaTimer = setTimeout(() => commit(el), %(delay)d); return; }
    press(el);
    const key = keyOf(el);
    if (key) k.sent.set(key, {value: el.value, at: Date.now(), keep: !!k.offline});
    k.pending.delete(el);
  };
  const replay = (tries) => {
    const app = document.querySelector('[data-testid="stApp"]');
    const busy = !app || app.getAttribute('data-test-script-state') === 'running' || k.offline;
    const waiting = [...k.sent.keys()].some((key) => {
      const el = document.querySelector(`.st-key-${CSS.escape(key)} input, .st-key-${CSS.escape(key)} textarea`);
      return !el || el.disabled;
    });
    if ((busy || waiting) && tries > 0) { setTimeout(() => replay(tries - 1), 500); return; }
    const entries = [...k.sent];
    k.sent.clear();
    const idle = () => document.querySelector('[data-testid="stApp"]')?.getAttribute('data-test-script-state')
        !== 'running';
    const put = (el, text) => {
      const proto = el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
      Object.getOwnPropertyDescriptor(proto, 'value').set.call(el, text);
      el.dispatchEvent(new Event('input', {bubbles: true}));
      clearTimeout(el.__pipiaTimer);
      press(el);
    };
    // The new server session may already hold the text as the field's value (the browser brought it) and
    // then sees no change in it: send a variant first, then the text, so the text is saved either way.
    const step = (i, variant, waited) => {
      if (i >= entries.length) return;
      if (!idle() && waited < 40) { setTimeout(() => step(i, variant, waited + 1), 250); return; }
      const [key, {value}] = entries[i];
      const el = document.querySelector(`.st-key-${CSS.escape(key)} input, .st-key-${CSS.escape(key)} textarea`);
      if (el && !el.disabled) put(el, variant ? value + ' ' : value);
      setTimeout(() => step(variant ? i : i + 1, !variant, 0), 300);
    };
    step(0, true, 0);
  };
  const typed = (e) => {
    const el = fieldOf(e.target);
    if (!el) return;
    k.pending.add(el);
    clearTimeout(el.__pipiaTimer);
    el.__pipiaTimer = setTimeout(() => commit(el), %(delay)d);
  };
  document.addEventListener('input', typed, true);
  document.addEventListener('compositionstart', (e) => {
    if (fieldOf(e.target)) e.target.__pipiaComposing = true;
  }, true);
  document.addEventListener('compositionend', (e) => {
    if (fieldOf(e.target)) { e.target.__pipiaComposing = false; typed(e); }
  }, true);
  // A field left or committed by Enter has sent its value: nothing pending for it any more.
  document.addEventListener('focusout', (e) => { const el = fieldOf(e.target); if (el) k.pending.delete(el); }, true);
  window.addEventListener('beforeunload', (e) => {
    for (const el of [...k.pending]) commit(el);  // a refresh sends what was typed first
    if (k.offline) { e.preventDefault(); e.returnValue = ''; }
  });
  const banner = document.createElement('div');
  banner.id = 'pipia-offline';
  banner.setAttribute('aria-live', 'assertive');
  banner.style.cssText = 'display:none;position:fixed;top:0;left:0;right:0;z-index:1000100;padding:8px 16px;'
      + 'background:#b71c1c;color:#fff;font-weight:600;text-align:center;font-size:15px';
  document.body.appendChild(banner);
  // A run that takes longer than a moment shows "saving…" where the eye is, not only Streamlit's icon.
  const busy = document.createElement('div');
  busy.id = 'pipia-working';
  busy.style.cssText = 'display:none;position:fixed;bottom:16px;right:16px;z-index:1000090;padding:6px 12px;'
      + 'border-radius:6px;background:rgba(33,33,33,.85);color:#fff;font-size:14px';
  document.body.appendChild(busy);
  const swap = (root, from, to) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.nodeValue.includes(from)) n.nodeValue = n.nodeValue.replace(from, to);
    }
  };
  k.refresh = () => {
    const s = k.said;
    const status = document.querySelector('[data-testid="stConnectionStatus"]');
    const app = document.querySelector('[data-testid="stApp"]');
    const state = app && app.getAttribute('data-test-connection-state');
    if (state === 'CONNECTED') k.connected = true;  // before the first connection, nothing can be unsaved
    const offline = !!k.connected && !!state && state !== 'CONNECTED' && state !== 'STATIC_CONNECTED';
    if (!k.offline && offline) {  // just lost: what was sent in the last seconds may not have arrived
      for (const entry of k.sent.values()) if (Date.now() - entry.at < 5000) entry.keep = true;
    }
    if (k.offline && !offline) setTimeout(() => replay(40), 1000);  // back: resend once the page is drawn
    if (!offline) {  // connected all along: a commit older than a few seconds has arrived
      for (const [key, entry] of k.sent) if (!entry.keep && Date.now() - entry.at > 5000) k.sent.delete(key);
    }
    k.offline = offline;
    // Every write below is made only when it changes something: a write is a mutation the observer below
    // reports, and an unconditional one made refresh call itself at every frame, for as long as the tab was open.
    if (banner.textContent !== s.offline) banner.textContent = s.offline;
    const running = !!app && app.getAttribute('data-test-script-state') === 'running';
    if (busy.textContent !== s.working) busy.textContent = s.working;
    if (running && !k.busyTimer && busy.style.display === 'none') {
      k.busyTimer = setTimeout(() => { k.busyTimer = null; busy.style.display = 'block'; }, %(working_ms)d);
    } else if (!running) {
      clearTimeout(k.busyTimer);
      k.busyTimer = null;
      if (busy.style.display !== 'none') busy.style.display = 'none';
    }
    const shown = offline ? 'block' : 'none';
    if (banner.style.display !== shown) banner.style.display = shown;
    const saved = document.querySelector('.st-key-%(status_key)s');
    if (saved) {
      const real = saved.querySelector('[data-pipia-real]');
      if (offline && !saved.__pipiaMarked) {
        saved.__pipiaMarked = true;
        saved.__pipiaText = saved.innerText;
        const note = document.createElement('div');
        note.setAttribute('data-pipia-note', '');
        note.style.cssText = 'color:#c62828;font-size:14px';
        note.textContent = s.unsaved;
        saved.querySelectorAll(':scope > *').forEach((c) => { c.style.display = 'none'; });
        saved.appendChild(note);
      } else if (!offline && saved.__pipiaMarked) {
        saved.__pipiaMarked = false;
        saved.querySelectorAll('[data-pipia-note]').forEach((c) => c.remove());
        saved.querySelectorAll(':scope > *').forEach((c) => { c.style.display = ''; });
      }
    }
    if (s.lang === 'zh') {
      if (status) for (const [from, to] of s.status) swap(status, from, to);
      document.querySelectorAll('[role="dialog"]').forEach((d) => {
        for (const [from, to] of s.dialog) swap(d, from, to);
      });
    }
  };
  let queued = false;
  new MutationObserver(() => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; k.refresh(); });
  }).observe(document.body, {subtree: true, childList: true, attributes: true,
                             attributeFilter: ['data-test-connection-state', 'data-test-script-state']});
  k.refresh();
})();
</script>
"""

# Streamlit's own English texts while the server is away, and what the Chinese UI shows instead.
_DIALOG_ZH = (
    ("Connection error", t("zh", "keeper_connection_error")),
    ("Streamlit server is not responding. Are you connected to the internet?", t("zh", "keeper_not_responding")),
    ("Is Streamlit still running? If you accidentally stopped Streamlit, just restart it in your terminal:",
     t("zh", "keeper_not_running")),
    ("Close", t("zh", "keeper_close")),
)
_STATUS_ZH = (("Connecting", t("zh", "keeper_connecting")), ("Error", t("zh", "keeper_error")))


def install(lang: Lang) -> None:
    """Put the keeper script in the page (it installs itself once per tab and follows the language)."""
    st.html(_script(lang), unsafe_allow_javascript=True, width="content")


@functools.cache
def _script(lang: Lang) -> str:
    """The script in ``lang``: the same at every rerun, so written once per language."""
    said = {"lang": lang, "offline": t(lang, "offline_banner"), "unsaved": t(lang, "offline_unsaved"),
            "working": t(lang, "working"),
            "dialog": _DIALOG_ZH, "status": _STATUS_ZH}
    return _SCRIPT % {"said": json.dumps(said, ensure_ascii=False), "delay": DEBOUNCE_MS, "working_ms": WORKING_MS,
                      "status_key": STATUS_KEY}

