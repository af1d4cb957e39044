// The Earshot inbox: a small Preact app (htm templates, no build step) over the triage HTTP API.
// Routes live in the URL hash (#/, #/m/{source}/{id}, #/incidents, #/incidents/{brand}/{key}, #/overview) with the
// filters as its query, so a view can be shared and survives a reload. Everything a source wrote is rendered as
// text by Preact (never as HTML) and links are only ever http(s).

import { h, render } from './vendor/preact.js';
import { useCallback, useEffect, useMemo, useRef, useState } from './vendor/hooks.js';
import htm from './vendor/htm.js';
import { api, ApiError, initAuth, query, setToken, signOut, usesCognito } from './api.js';
import { hourlyChart, loadUplot } from './charts.js';
import { highlight, safeUrl } from './highlight.js';
import {
  formatAgo,
  formatDate,
  formatDuration,
  formatNumber,
  formatPercent,
  lang,
  LANGUAGES,
  setLang,
  t,
} from './i18n.js';

const html = htm.bind(h);
const STATUS_TABS = ['open', 'new', 'acknowledged', 'resolved', 'false_positive', 'all'];
const SEVERITIES = ['critical', 'high', 'medium', 'low'];
const MENTION_LANGUAGES = ['en', 'vi', 'es', 'fr', 'de', 'pt', 'it', 'nl'];
const REFRESH_MS = 30_000;

// ---- routing -------------------------------------------------------------------------------------------------------

function parseHash() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const [path, search = ''] = raw.split('?');
  const params = Object.fromEntries(new URLSearchParams(search));
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { parts, params };
}

function hashFor(parts, params = {}) {
  const path = '/' + parts.map(encodeURIComponent).join('/');
  return `#${path}${query(params)}`;
}

function go(parts, params) {
  location.hash = hashFor(parts, params);
}

function useRoute() {
  const [route, setRoute] = useState(parseHash);
  useEffect(() => {
    const onChange = () => setRoute(parseHash());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

// ---- small pieces --------------------------------------------------------------------------------------------------

let clockOffset = 0;
const serverNow = () => Date.now() + clockOffset;

// The first requests start while the modules are still rendering (meta, then the first queue page at once):
// a render waits for none of them in turn. A prefetched answer is used once, and only while fresh.
const PREFETCH_FRESH_MS = 5000;
const prefetched = new Map();

function prefetch(path) {
  const promise = api(path);
  promise.catch(() => undefined);
  prefetched.set(path, { promise, at: Date.now() });
  return promise;
}

function fetchOnce(path) {
  const found = prefetched.get(path);
  prefetched.delete(path);
  return found && Date.now() - found.at < PREFETCH_FRESH_MS ? found.promise : api(path);
}

function queuePath(filters, cursor, limit) {
  return `triage/queue${query({ ...filters, cursor, limit })}`;
}

// `brand=*` shows every brand (the server merges their queues and incidents); no brand id can be `*`.
const ALL_BRANDS = '*';

/** The brand a page shows: the URL's, all of them when it names no configured brand (`unknown` says which). */
function brandChoice(meta, params) {
  const wanted = params.brand;
  if (!wanted) return { brand: meta.brands[0]?.id ?? ALL_BRANDS };
  if (wanted === ALL_BRANDS || meta.brands.some((b) => b.id === wanted)) return { brand: wanted };
  return { brand: ALL_BRANDS, unknown: wanted };
}

function inboxFilters(meta, params) {
  return { ...params, brand: brandChoice(meta, params).brand };
}

const brandName = (meta, id) => meta.brands.find((b) => b.id === id)?.name ?? id;

function useAsync(load, deps) {
  const [state, setState] = useState({ loading: true });
  const reload = useCallback(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, loading: false }),
      (error) => live && setState({ error, loading: false }),
    );
    return () => {
      live = false;
    };
  }, deps);
  useEffect(reload, [reload]);
  return { ...state, reload };
}

function Failure({ error, retry }) {
  return html`<div class="notice error" role="alert">
    ${t('error', { message: error.message })} ${retry && html`<button onClick=${retry}>${t('retry')}</button>`}
  </div>`;
}

function Severity({ value }) {
  return html`<span class=${`sev sev-${value}`}>${t(`severity.${value}`)}</span>`;
}

function Status({ value }) {
  return html`<span class=${`status status-${value}`}>${t(`status.${value}`)}</span>`;
}

function SlaBadge({ sla }) {
  if (!sla) return html`<span class="sla sla-none" data-testid="sla" data-state="none">${t('sla.none')}</span>`;
  const left = Date.parse(sla.dueAt) - serverNow();
  // The server decided the state; a page left open moves on with the clock.
  let state = sla.state;
  if (state === 'ok' || state === 'due_soon') {
    if (left < 0) state = 'overdue';
    else if (left < sla.minutes * 60_000 * 0.25) state = 'due_soon';
  }
  const label = t(`sla.${state}`, { time: formatDuration(left) });
  return html`<span class=${`sla sla-${state}`} data-testid="sla" data-state=${state} title=${formatDate(sla.dueAt)}
    >${label}</span
  >`;
}

function Time({ iso }) {
  return html`<time datetime=${iso} title=${formatDate(iso)}>${formatAgo(iso, serverNow())}</time>`;
}

function ExternalLink({ url, children }) {
  const href = safeUrl(url);
  if (!href) return html`<span>${children}</span>`;
  return html`<a href=${href} target="_blank" rel="noopener noreferrer nofollow">${children}</a>`;
}

function cueLabel(name) {
  return t(`cue.${name}`);
}

// ---- the inbox -----------------------------------------------------------------------------------------------------

function Filters({ meta, params, onChange }) {
  const set = (name) => (event) => onChange({ ...params, [name]: event.currentTarget.value, cursor: undefined });
  const searchRef = useRef(null);
  useEffect(() => {
    const focus = () => searchRef.current?.focus();
    window.addEventListener('earshot:search', focus);
    return () => window.removeEventListener('earshot:search', focus);
  }, []);
  const sources = meta.sources.filter((s) => params.brand === ALL_BRANDS || s.brand === params.brand);
  const select = (name, label, options) =>
    html`<label class="field">
      <span>${label}</span>
      <select name=${name} value=${params[name] ?? ''} onChange=${set(name)}>
        <option value="">${t('any')}</option>
        ${options.map(([value, text]) => html`<option value=${value}>${text}</option>`)}
      </select>
    </label>`;
  return html`<form class="filters" role="search" onSubmit=${(e) => e.preventDefault()}>
    <nav class="tabs" aria-label=${t('status')}>
      ${STATUS_TABS.map(
        (status) =>
          html`<a
            href=${hashFor([], { ...params, status, cursor: undefined })}
            class=${(params.status || 'open') === status ? 'tab active' : 'tab'}
            aria-current=${(params.status || 'open') === status ? 'page' : undefined}
            >${t(`status.${status}`)}</a
          >`,
      )}
    </nav>
    <div class="filter-row">
      <label class="field search">
        <span>${t('search')}</span>
        <input
          ref=${searchRef}
          type="search"
          name="q"
          value=${params.q ?? ''}
          placeholder=${t('searchPlaceholder')}
          onChange=${set('q')}
          onKeyDown=${(e) => e.key === 'Enter' && set('q')(e)}
        />
      </label>
      ${select(
        'severity',
        t('severity'),
        SEVERITIES.map((s) => [s, t(`severity.${s}`)]),
      )}
      ${select(
        'source',
        t('source'),
        sources.map((s) => [s.id, `${s.id} (${s.kind})`]),
      )}
      ${select(
        'cue',
        t('cue'),
        meta.cues.map((c) => [c.name, cueLabel(c.name)]),
      )}
      ${select(
        'lang',
        t('lang'),
        MENTION_LANGUAGES.map((code) => [code, code]),
      )}
      <label class="field">
        <span>${t('assignee')}</span>
        <input
          name="assignee"
          value=${params.assignee ?? ''}
          placeholder=${t('any')}
          size="10"
          onChange=${set('assignee')}
        />
      </label>
      <label class="field">
        <span>${t('sort')}</span>
        <select name="sort" value=${params.sort ?? ''} onChange=${set('sort')}>
          <option value="">${t('sortPriority')}</option>
          <option value="overdue">${t('sortOverdue')}</option>
        </select>
      </label>
      <a class="button link" href=${hashFor([], { brand: params.brand })}>${t('clearFilters')}</a>
    </div>
  </form>`;
}

function BulkBar({ count, onAction, onClear }) {
  const [assignee, setAssignee] = useState('');
  return html`<div class="bulk" data-testid="bulk-actions" role="region" aria-label=${t('selected', { n: count })}>
    <strong>${t('selected', { n: count })}</strong>
    <button onClick=${() => onAction('ack')}>${t('ack')}</button>
    <button onClick=${() => onAction('resolve')}>${t('resolve')}</button>
    <button onClick=${() => onAction('false-positive')}>${t('falsePositive')}</button>
    <form
      class="inline"
      onSubmit=${(e) => {
        e.preventDefault();
        if (assignee.trim()) onAction('assign', { assignee: assignee.trim() });
      }}
    >
      <label class="sr-only" for="bulk-assignee">${t('assignTo')}</label>
      <input
        id="bulk-assignee"
        value=${assignee}
        placeholder=${t('assignTo')}
        onInput=${(e) => setAssignee(e.currentTarget.value)}
      />
      <button type="submit">${t('assign')}</button>
    </form>
    <button class="link" onClick=${onClear}>${t('clearSelection')}</button>
  </div>`;
}

function KeyHelp({ onClose }) {
  const keys = [
    ['j', 'key.j'],
    ['k', 'key.k'],
    ['a', 'key.a'],
    ['r', 'key.r'],
    ['f', 'key.f'],
    ['x', 'key.x'],
    ['/', 'key./'],
    ['Enter', 'key.enter'],
    ['?', 'key.?'],
    ['Esc', 'key.esc'],
  ];
  return html`<div class="overlay" role="dialog" aria-modal="true" aria-labelledby="keys-title" onClick=${onClose}>
    <div class="dialog" onClick=${(e) => e.stopPropagation()}>
      <h2 id="keys-title">${t('keys')}</h2>
      <dl class="keys">
        ${keys.map(
          ([key, label]) =>
            html`<dt><kbd>${key}</kbd></dt>
              <dd>${t(label)}</dd>`,
        )}
      </dl>
      <button onClick=${onClose} autofocus>${t('close')}</button>
    </div>
  </div>`;
}

function QueueRow({ item, current, selected, onSelect, onOpen, brand }) {
  const ref = useRef(null);
  useEffect(() => {
    // The current row takes the focus (so a screen reader follows j/k) unless the viewer is typing somewhere.
    if (!current || !ref.current) return;
    const typing = ['INPUT', 'SELECT', 'TEXTAREA'].includes(document.activeElement?.tagName);
    if (!typing) ref.current.focus({ preventScroll: true });
    ref.current.scrollIntoView({ block: 'nearest' });
  }, [current]);
  const label = t('row', {
    severity: t(`severity.${item.severity}`),
    status: t(`status.${item.status}`),
    source: item.sourceId,
  });
  return html`<tr
    ref=${ref}
    class=${`row${current ? ' current' : ''}${selected ? ' selected' : ''}`}
    data-testid="queue-row"
    data-status=${item.status}
    data-severity=${item.severity}
    data-source-id=${item.sourceId}
    data-mention-id=${item.id}
    aria-current=${current ? 'true' : undefined}
    tabindex="-1"
  >
    <td class="check">
      <input type="checkbox" checked=${selected} onChange=${onSelect} aria-label=${`${t('select')}: ${label}`} />
    </td>
    <td><${Severity} value=${item.severity} /></td>
    <td><${SlaBadge} sla=${item.sla} /></td>
    <td class="excerpt">
      <a href=${hashFor(['m', item.sourceId, item.id])} onClick=${onOpen}>${item.excerpt}</a>
      <div class="cues">${item.cues.map((cue) => html`<span class=${`chip cue-${cue}`}>${cueLabel(cue)}</span>`)}</div>
    </td>
    <td class="source">
      ${item.sourceId}${brand && html` · <span data-testid="row-brand">${brand}</span>`}
      <div class="muted">${item.author ?? ''}${item.language ? ` · ${item.language}` : ''}</div>
    </td>
    <td><${Status} value=${item.status} />${item.assignee && html`<div class="muted">→ ${item.assignee}</div>`}</td>
    <td class="age"><${Time} iso=${item.createdAt} /></td>
  </tr>`;
}

function Inbox({ meta, params }) {
  const filters = inboxFilters(meta, params);
  const key = JSON.stringify(filters);
  // `pages.key` names the filters the rows were loaded for: rows of another filter are never shown or acted on,
  // not even in the render right after the filter changes.
  const [pages, setPages] = useState({ key: null, items: [], next: undefined, loading: true, error: null });
  const [current, setCurrent] = useState(-1);
  const [selected, setSelected] = useState(new Set());
  const [message, setMessage] = useState(null);
  const [help, setHelp] = useState(false);

  const items = pages.key === key ? pages.items : [];
  const loading = pages.loading || pages.key !== key;
  // Only the newest request may paint: a 30 s refresh that answers after an action's reload, or a slow page of
  // the filter the user just left, would otherwise bring back rows that are no longer true.
  const latestLoad = useRef(0);
  const load = useCallback(
    async (cursor, keepPosition) => {
      const seq = ++latestLoad.current;
      setPages((p) => ({ ...p, loading: true, error: null }));
      try {
        const wanted = keepPosition ? Math.max(50, items.length) : 50;
        const page = await fetchOnce(queuePath(filters, cursor, Math.min(wanted, 200)));
        if (seq !== latestLoad.current) return;
        clockOffset = Date.parse(page.now) - Date.now();
        setPages((p) => ({
          key,
          items: cursor && p.key === key ? [...p.items, ...page.items] : page.items,
          next: page.next,
          loading: false,
          error: null,
        }));
      } catch (error) {
        if (seq === latestLoad.current) setPages((p) => ({ ...p, loading: false, error }));
      }
    },
    [key, items.length],
  );
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    setCurrent(-1);
    setSelected(new Set());
    load(undefined, false);
    const timer = setInterval(
      () => document.visibilityState === 'visible' && loadRef.current(undefined, true),
      REFRESH_MS,
    );
    return () => clearInterval(timer);
  }, [key]);

  const refOf = (item) => `${item.sourceId}\u0000${item.id}`;

  // The key handler is installed once and reads these, so a key pressed right after a render never sees the
  // rows or the current row of the render before.
  const live = useRef({});
  live.current = { items, current, selected };

  const act = useCallback(async (action, extra = {}) => {
    const { items, current, selected } = live.current;
    const targets =
      selected.size > 0 ? items.filter((item) => selected.has(refOf(item))) : items[current] ? [items[current]] : [];
    if (targets.length === 0) return;
    const { results } = await api('triage/bulk', {
      method: 'POST',
      body: { action, items: targets.map(({ sourceId, id }) => ({ sourceId, id })), ...extra },
    });
    const failed = results.filter((r) => !r.ok);
    setMessage(
      failed.length
        ? { kind: 'error', text: t('failed', { n: failed.length, message: failed[0].error }) }
        : { kind: 'ok', text: t('done', { n: results.length }) },
    );
    setSelected(new Set());
    await loadRef.current(undefined, true);
  }, []);

  useEffect(() => {
    const onKey = (event) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      const tag = event.target?.tagName;
      if (tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA') {
        if (event.key === 'Escape') event.target.blur();
        return;
      }
      const { items, current } = live.current;
      const keyName = event.key;
      if (keyName === 'j') setCurrent((c) => Math.min(items.length - 1, c + 1));
      else if (keyName === 'k') setCurrent((c) => Math.max(0, c - 1));
      else if (keyName === 'a') act('ack');
      else if (keyName === 'r') act('resolve');
      else if (keyName === 'f') act('false-positive');
      else if (keyName === 'x' && items[current]) {
        const ref = refOf(items[current]);
        setSelected((s) => {
          const next = new Set(s);
          if (next.has(ref)) next.delete(ref);
          else next.add(ref);
          return next;
        });
      } else if (keyName === '/') window.dispatchEvent(new Event('earshot:search'));
      else if (keyName === '?') setHelp(true);
      else if (keyName === 'Escape') setHelp(false);
      else if (keyName === 'Enter' && items[current]) go(['m', items[current].sourceId, items[current].id]);
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [act]);

  const toggle = (item) => () =>
    setSelected((s) => {
      const next = new Set(s);
      const ref = refOf(item);
      if (next.has(ref)) next.delete(ref);
      else next.add(ref);
      return next;
    });
  const allSelected = items.length > 0 && items.every((item) => selected.has(refOf(item)));

  return html`<section aria-labelledby="inbox-title">
    <h1 id="inbox-title">${t('inbox')}</h1>
    <${Filters} meta=${meta} params=${filters} onChange=${(next) => go([], next)} />
    ${
      message &&
      html`<div class=${`notice ${message.kind}`} role="status" aria-live="polite">
        ${message.text} <button class="link" onClick=${() => setMessage(null)}>${t('close')}</button>
      </div>`
    }
    ${
      selected.size > 0 &&
      html`<${BulkBar} count=${selected.size} onAction=${act} onClear=${() => setSelected(new Set())} />`
    }
    ${pages.error && html`<${Failure} error=${pages.error} retry=${() => load(undefined, false)} />`}
    <table class="queue" aria-busy=${loading ? 'true' : 'false'}>
      <caption class="sr-only">
        ${t('inbox')}
      </caption>
      <thead>
        <tr>
          <th scope="col" class="check">
            <input
              type="checkbox"
              checked=${allSelected}
              aria-label=${t('selectAll')}
              onChange=${() => setSelected(allSelected ? new Set() : new Set(items.map(refOf)))}
            />
          </th>
          <th scope="col">${t('severity')}</th>
          <th scope="col">SLA</th>
          <th scope="col">${t('mention')}</th>
          <th scope="col">${t('source')}</th>
          <th scope="col">${t('status')}</th>
          <th scope="col">${t('age')}</th>
        </tr>
      </thead>
      <tbody>
        ${items.map(
          (item, i) =>
            html`<${QueueRow}
              key=${refOf(item)}
              item=${item}
              current=${i === current}
              selected=${selected.has(refOf(item))}
              onSelect=${toggle(item)}
              onOpen=${() => setCurrent(i)}
              brand=${filters.brand === ALL_BRANDS ? brandName(meta, item.brandId) : undefined}
            />`,
        )}
      </tbody>
    </table>
    ${!loading && items.length === 0 && !pages.error && html`<p class="empty">${t('emptyQueue')}</p>`}
    ${loading && html`<p class="muted" role="status">${t('loading')}</p>`}
    ${pages.next && !loading && html`<button onClick=${() => load(pages.next, false)}>${t('loadMore')}</button>`}
    <p class="hint muted"><kbd>?</kbd> ${t('keys')}</p>
    ${help && html`<${KeyHelp} onClose=${() => setHelp(false)} />`}
  </section>`;
}

// ---- one mention ---------------------------------------------------------------------------------------------------

function HighlightedText({ text, cues }) {
  const { parts } = useMemo(() => highlight(text, cues), [text, cues]);
  return html`<p class="text">
    ${parts.map((part) =>
      part.cue
        ? html`<mark class=${`cue-${part.cue}`} data-cue=${part.cue} title=${cueLabel(part.cue)}>${part.text}</mark>`
        : part.text,
    )}
  </p>`;
}

/** The brand's answer under a review (a seller reply), as text: htm escapes it, it never becomes markup. */
function BrandReply({ reply, compact = false }) {
  const when = reply.createdAt && html` · <${Time} iso=${reply.createdAt} />`;
  return compact
    ? html`<p class="muted brand-reply" data-testid="brand-reply">↳ ${t('brandReply')}${when}: ${reply.text}</p>`
    : html`<section class="brand-reply" aria-labelledby="reply-title" data-testid="brand-reply">
        <h2 id="reply-title">${t('brandReply')}${when}</h2>
        <p>${reply.text}</p>
      </section>`;
}

function MentionView({ sourceId, id }) {
  const {
    data: m,
    error,
    loading,
    reload,
  } = useAsync(() => api(`triage/${encodeURIComponent(sourceId)}/${encodeURIComponent(id)}`), [sourceId, id]);
  const [note, setNote] = useState('');
  const [assignee, setAssignee] = useState('');
  const [message, setMessage] = useState(null);
  const act = useCallback(
    async (verb, body = {}) => {
      try {
        await api(`triage/${encodeURIComponent(sourceId)}/${encodeURIComponent(id)}/${verb}`, { method: 'POST', body });
        setMessage(null);
        reload();
      } catch (err) {
        setMessage(err.message);
      }
    },
    [sourceId, id, reload],
  );
  useEffect(() => {
    const onKey = (event) => {
      const tag = event.target?.tagName;
      if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || event.ctrlKey || event.metaKey) return;
      const verbs = { a: 'ack', r: 'resolve', f: 'false-positive' };
      if (verbs[event.key]) act(verbs[event.key]);
      else if (event.key === 'Escape') history.back();
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [act]);
  if (error) return html`<${Failure} error=${error} retry=${reload} />`;
  if (!m) return html`<p role="status">${t('loading')}</p>`;
  const a = m.analysis;
  const status = m.triage?.status ?? 'new';
  const open = status === 'new' || status === 'acknowledged';
  const firedCues = a.cues.filter((cue) => cue.strength > 0);
  const { unmatched: outsideText } = highlight([m.title, m.text].filter(Boolean).join('\n'), firedCues);
  const notes = (m.triage?.history ?? []).filter((event) => event.note);
  return html`<article class="mention" aria-labelledby="mention-title" aria-busy=${loading ? 'true' : 'false'}>
    <p><a href="#/">← ${t('back')}</a></p>
    <header class="mention-head">
      <h1 id="mention-title"><${Severity} value=${a.severity} /> ${m.title ? m.title : `${m.sourceId} · ${m.kind}`}</h1>
      <div class="meta">
        <${Status} value=${status} /> <${SlaBadge} sla=${m.sla} />
        <span>${m.sourceId} (${m.kind})</span>
        ${m.author && html`<span>${t('by', { who: m.author })}</span>`}
        ${m.authorReach !== undefined && html`<span>${t('reach', { n: formatNumber(m.authorReach) })}</span>`}
        <span>${formatDate(m.createdAt)}</span>
        <span>${a.language}</span>
        ${m.url && html`<${ExternalLink} url=${m.url}>${t('openOriginal')}<//>`}
      </div>
    </header>
    ${message && html`<div class="notice error" role="alert">${message}</div>`}
    <div class="actions">
      ${status === 'new' && html`<button onClick=${() => act('ack')}>${t('ack')} <kbd>a</kbd></button>`}
      ${open && html`<button onClick=${() => act('resolve')}>${t('resolve')} <kbd>r</kbd></button>`}
      ${open && html`<button onClick=${() => act('false-positive')}>${t('falsePositive')} <kbd>f</kbd></button>`}
      ${!open && html`<button onClick=${() => act('reopen')}>${t('reopen')}</button>`}
      ${
        open &&
        html`<form
          class="inline"
          onSubmit=${(e) => {
            e.preventDefault();
            if (assignee.trim()) act('assign', { assignee: assignee.trim() }).then(() => setAssignee(''));
          }}
        >
          <label for="assignee">${t('assignTo')}</label>
          <input
            id="assignee"
            value=${assignee}
            placeholder=${m.triage?.assignee ?? ''}
            onInput=${(e) => setAssignee(e.currentTarget.value)}
          />
          <button type="submit">${t('assign')}</button>
        </form>`
      }
    </div>
    <div class="columns">
      <div class="main">
        ${m.title && html`<h2 class="sr-only">${t('mention')}</h2>`}
        ${m.title && html`<${HighlightedText} text=${m.title} cues=${firedCues} />`}
        <${HighlightedText} text=${m.text} cues=${firedCues} />
        ${m.reply && html`<${BrandReply} reply=${m.reply} />`}
        <section aria-labelledby="why-title">
          <h2 id="why-title">${t('why')}</h2>
          <ul class="why">
            ${firedCues.map(
              (cue) =>
                html`<li>
                  <mark class=${`cue-${cue.name}`}>${cueLabel(cue.name)}</mark>
                  <meter min="0" max="1" value=${cue.strength} aria-label=${cueLabel(cue.name)}></meter>
                  <span class="muted">${formatNumber(cue.strength, { maximumFractionDigits: 2 })}</span>
                  ${cue.evidence.length > 0 && html`<span> — ${t('evidence')}: ${cue.evidence.map((e) => `“${e}”`).join(', ')}</span>`}
                </li>`,
            )}
          </ul>
          ${
            outsideText.length > 0 &&
            html`<p class="muted">
              ${t('otherSignals')}: ${outsideText.map((u) => `${cueLabel(u.cue)} (${u.evidence})`).join(', ')}
            </p>`
          }
        </section>
        <section aria-labelledby="notes-title">
          <h2 id="notes-title">${t('notes')}</h2>
          ${notes.length === 0 && html`<p class="muted">${t('noNotes')}</p>`}
          <ul class="notes">
            ${notes.map((event) => html`<li><strong>${event.by ?? '—'}</strong> <${Time} iso=${event.at} />: ${event.note}</li>`)}
          </ul>
          ${
            open &&
            html`<form
              onSubmit=${(e) => {
                e.preventDefault();
                if (note.trim()) act('note', { note: note.trim() }).then(() => setNote(''));
              }}
            >
              <label for="note" class="sr-only">${t('note')}</label>
              <textarea
                id="note"
                rows="2"
                value=${note}
                placeholder=${t('notePlaceholder')}
                onInput=${(e) => setNote(e.currentTarget.value)}
              ></textarea>
              <button type="submit">${t('note')}</button>
            </form>`
          }
        </section>
      </div>
      <aside class="side">
        <h2>${t('scores')}</h2>
        <dl class="facts">
          <dt>${t('sentiment')}</dt>
          <dd>
            ${`${formatNumber(a.sentiment.compound, { maximumFractionDigits: 3 })} (neg ${a.sentiment.neg} · neu ${a.sentiment.neu} · pos ${a.sentiment.pos})`}
          </dd>
          <dt>${t('memorability')}</dt>
          <dd>${formatNumber(a.memorability, { maximumFractionDigits: 2 })}</dd>
          <dt>${t('aspects')}</dt>
          <dd>${a.aspects.length ? a.aspects.map((x) => t(`aspect.${x}`)).join(', ') : t('none')}</dd>
          <dt>${t('cxLevel')}</dt>
          <dd>${a.cxLevel ? t(`cx.${a.cxLevel}`) : t('none')}</dd>
          ${
            m.triage?.assignee &&
            html`<dt>${t('assignee')}</dt>
              <dd>${m.triage.assignee}</dd>`
          }
        </dl>
        ${
          m.incident &&
          html`<h2>${t('incident')}</h2>
            <p>
              <a href=${hashFor(['incidents', m.brandId, m.incident.key])}
                >${t('partOfIncident', { title: m.incident.title, n: m.incident.size })}</a
              >
            </p>`
        }
        <h2>${t('history')}</h2>
        <ol class="history">
          ${(m.triage?.history ?? []).map(
            (event) =>
              html`<li>
                <${Time}
                  iso=${event.at}
                />${` · ${event.by ? `${event.by} ` : ''}${t(`event.${event.action}`)}${event.note ? `: ${event.note}` : ''}`}
              </li>`,
          )}
        </ol>
      </aside>
    </div>
  </article>`;
}

// ---- incidents -----------------------------------------------------------------------------------------------------

function Incidents({ meta, params }) {
  const { brand } = brandChoice(meta, params);
  const all = brand === ALL_BRANDS;
  const { data, error, reload } = useAsync(() => api(`triage/incidents${query({ brand })}`), [brand]);
  return html`<section aria-labelledby="incidents-title">
    <h1 id="incidents-title">${t('incidents')}</h1>
    ${error && html`<${Failure} error=${error} retry=${reload} />`}
    ${data && data.length === 0 && html`<p class="empty">${t('noIncidents')}</p>`}
    ${
      data &&
      data.length > 0 &&
      html`<table class="grid">
        <thead>
          <tr>
            <th scope="col">${t('title')}</th>
            ${all && html`<th scope="col">${t('brand')}</th>`}
            <th scope="col">${t('severity')}</th>
            <th scope="col">${t('size')}</th>
            <th scope="col">${t('sources')}</th>
            <th scope="col">${t('firstSeen')}</th>
            <th scope="col">${t('lastSeen')}</th>
          </tr>
        </thead>
        <tbody>
          ${data.map(
            (incident) =>
              html`<tr data-testid="incident-row" data-incident-key=${incident.key}>
                <td><a href=${hashFor(['incidents', incident.brandId, incident.key])}>${incident.title}</a></td>
                ${all && html`<td data-testid="incident-brand">${brandName(meta, incident.brandId)}</td>`}
                <td><${Severity} value=${incident.severity} /></td>
                <td>${incident.size}</td>
                <td>${incident.sources.join(', ')}</td>
                <td><${Time} iso=${incident.firstMentionAt ?? incident.firstAt} /></td>
                <td><${Time} iso=${incident.lastMentionAt ?? incident.lastAt} /></td>
              </tr>`,
          )}
        </tbody>
      </table>`
    }
  </section>`;
}

function IncidentView({ brand, incidentKey }) {
  const path = `triage/incidents/${encodeURIComponent(brand)}/${encodeURIComponent(incidentKey)}`;
  const { data, error, reload } = useAsync(() => api(path), [path]);
  const [message, setMessage] = useState(null);
  if (error) return html`<${Failure} error=${error} retry=${reload} />`;
  if (!data) return html`<p role="status">${t('loading')}</p>`;
  const { incident, mentions, languages, postedFrom, postedTo } = data;
  const sources = [...new Set(mentions.map((m) => m.sourceId))];
  const ack = async () => {
    try {
      const result = await api(`${path}/ack`, { method: 'POST', body: {} });
      setMessage(t('incidentAcked', { n: result.acknowledged }));
      reload();
    } catch (err) {
      setMessage(err.message);
    }
  };
  return html`<section aria-labelledby="incident-title">
    <p><a href="#/incidents">← ${t('incidents')}</a></p>
    <h1 id="incident-title"><${Severity} value=${incident.severity} /> ${incident.title}</h1>
    <p data-testid="incident-summary">
      ${`${t('incidentSummary', { n: mentions.length, s: sources.length, l: languages.join(', ') })} · ${formatDate(postedFrom ?? incident.firstAt)} – ${formatDate(postedTo ?? incident.lastAt)}`}
    </p>
    <p class="chips">${incident.aspects.map((x) => html`<span class="chip">${t(`aspect.${x}`)}</span>`)}</p>
    <button onClick=${ack}>${t('ackIncident')}</button>
    ${message && html`<p class="notice ok" role="status">${message}</p>`}
    <h2>${t('timeline')}</h2>
    <ol class="timeline">
      ${mentions.map(
        (m) =>
          html`<li data-testid="incident-mention" data-source-id=${m.sourceId} data-language=${m.analysis.language}>
            <time datetime=${m.createdAt}>${formatDate(m.createdAt)}</time>
            <span class="chip">${m.sourceId}</span>
            <span class="chip lang">${m.analysis.language}</span>
            <${Status} value=${m.triage?.status ?? 'new'} />
            <${SlaBadge} sla=${m.sla} />
            <a href=${hashFor(['m', m.sourceId, m.id])}>${m.excerpt}</a>
            ${m.reply && html`<${BrandReply} reply=${m.reply} compact=${true} />`}
          </li>`,
      )}
    </ol>
  </section>`;
}

// ---- overview ------------------------------------------------------------------------------------------------------

function Bars({ rows, label, value, format = (v) => formatNumber(v) }) {
  const max = Math.max(1, ...rows.map(value));
  return html`<table class="bars">
    <thead>
      <tr>
        <th scope="col">${t('key')}</th>
        <th scope="col">${t('count')}</th>
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        (row) =>
          html`<tr>
            <th scope="row">${label(row)}</th>
            <td>
              <span class="bar" style=${{ width: `${Math.round((value(row) / max) * 80)}%` }}></span>
              <span>${format(value(row))}</span>
            </td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

function PrecisionTable({ rows, label }) {
  if (rows.length === 0) return html`<p class="muted">${t('nothingYet')}</p>`;
  return html`<table class="grid compact">
    <thead>
      <tr>
        <th scope="col">${t('key')}</th>
        <th scope="col">${t('flagged')}</th>
        <th scope="col">${t('reviewed')}</th>
        <th scope="col">${t('falsePositive')}</th>
        <th scope="col">${t('precision')}</th>
      </tr>
    </thead>
    <tbody>
      ${rows.map(
        (row) =>
          html`<tr>
            <th scope="row">${label(row.key)}</th>
            <td>${row.flagged}</td>
            <td>${row.reviewed}</td>
            <td>${row.falsePositives}</td>
            <td>${formatPercent(row.precision)}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

function Chart({ hourly }) {
  const ref = useRef(null);
  const [failed, setFailed] = useState(null);
  useEffect(() => {
    let plot;
    let live = true;
    loadUplot().then(
      () => {
        if (!live || !ref.current) return;
        plot = hourlyChart(
          ref.current,
          hourly,
          { mentions: t('mentions'), negative: t('negative'), flagged: t('flagged') },
          ref.current.clientWidth || 900,
        );
      },
      (error) => live && setFailed(error),
    );
    return () => {
      live = false;
      plot?.destroy();
    };
  }, [hourly]);
  if (failed) return html`<${Failure} error=${failed} />`;
  return html`<div ref=${ref} class="chart" role="img" aria-label=${t('hourly')}></div>`;
}

function Overview({ meta, params }) {
  const { brand } = brandChoice(meta, params);
  const brands = brand === ALL_BRANDS ? meta.brands.map((b) => b.id) : [brand];
  return brands.map(
    (id) =>
      html`<${BrandOverview} key=${id} meta=${meta} brand=${id} hours=${params.hours} many=${brands.length > 1} />`,
  );
}

function BrandOverview({ meta, brand, hours, many }) {
  // On the all-brands page, one of these per brand: element ids carry the brand there.
  const idOf = (name) => (many ? `${name}-title-${brand}` : `${name}-title`);
  const { data, error, reload } = useAsync(() => api(`triage/overview${query({ brand, hours })}`), [brand, hours]);
  if (error) return html`<${Failure} error=${error} retry=${reload} />`;
  if (!data) return html`<p role="status">${t('loading')}</p>`;
  const spikeHours = data.hourly.filter((p) => p.spike);
  return html`<section aria-labelledby=${idOf('overview')} class="overview" data-testid="overview" data-brand=${brand}>
    <h1 id=${idOf('overview')}>${t('overview')} · ${brandName(meta, brand)}</h1>
    <div class="cards">
      <div class="card"><span>${t('mentions')}</span><strong>${formatNumber(data.totals.mentions)}</strong></div>
      <div class="card"><span>${t('negative')}</span><strong>${formatNumber(data.totals.negative)}</strong></div>
      <div class="card"><span>${t('flagged')}</span><strong>${formatNumber(data.totals.flagged)}</strong></div>
      <div class="card" data-testid="spike-count">
        <span>${t('spikes')}</span><strong>${data.totals.spikes}</strong>
      </div>
      <div class="card"><span>${t('precision')}</span><strong>${formatPercent(data.precision.precision)}</strong></div>
    </div>
    <section aria-labelledby=${idOf('hourly')}>
      <h2 id=${idOf('hourly')}>${t('hourly')}</h2>
      <${Chart} hourly=${data.hourly} />
      ${
        spikeHours.length > 0 &&
        html`<p class="spikes" data-testid="spikes">
          ${`${t('spike')}: `}${spikeHours.map((p) => `${formatDate(`${p.hour}:00:00Z`)} (${p.negative} ${t('negative').toLowerCase()})`).join(' · ')}
        </p>`
      }
    </section>
    <div class="two">
      <section aria-labelledby=${idOf('snr')}>
        <h2 id=${idOf('snr')}>${t('snr')}</h2>
        <p class="muted">${t('snrHelp')}</p>
        <table class="grid compact">
          <thead>
            <tr>
              <th scope="col">${t('source')}</th>
              <th scope="col">${t('fetched')}</th>
              <th scope="col">${t('mentions')}</th>
              <th scope="col">SNR</th>
            </tr>
          </thead>
          <tbody>
            ${data.snrBySource.map(
              (row) =>
                html`<tr>
                  <th scope="row">${row.sourceId}</th>
                  <td>${row.fetched}</td>
                  <td>${row.relevant}</td>
                  <td>${formatPercent(row.snr)}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </section>
      <section aria-labelledby=${idOf('health')}>
        <h2 id=${idOf('health')}>${t('health')}</h2>
        <table class="grid compact">
          <thead>
            <tr>
              <th scope="col">${t('source')}</th>
              <th scope="col">${t('lastSuccess')}</th>
              <th scope="col">${t('lag')}</th>
              <th scope="col">${t('failures')}</th>
              <th scope="col">${t('lastError')}</th>
            </tr>
          </thead>
          <tbody>
            ${data.health.map(
              (row) =>
                html`<tr class=${row.consecutiveFailures > 0 ? 'unhealthy' : ''}>
                  <th scope="row">${row.sourceId}${row.note ? html`<div class="muted">${row.note}</div>` : ''}</th>
                  <td>${row.lastSuccessAt ? html`<${Time} iso=${row.lastSuccessAt} />` : t('never')}</td>
                  <td>${row.lagSeconds === undefined ? '–' : formatDuration(row.lagSeconds * 1000)}</td>
                  <td>${row.consecutiveFailures}</td>
                  <td class="error-text">${row.lastError ?? ''}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </section>
    </div>
    <div class="two">
      <section aria-labelledby=${idOf('cues')}>
        <h2 id=${idOf('cues')}>${t('topCues')}</h2>
        ${data.topCues.length ? html`<${Bars} rows=${data.topCues} label=${(r) => cueLabel(r.key)} value=${(r) => r.count} />` : html`<p class="muted">${t('nothingYet')}</p>`}
      </section>
      <section aria-labelledby=${idOf('aspects')}>
        <h2 id=${idOf('aspects')}>${t('topAspects')}</h2>
        ${data.topAspects.length ? html`<${Bars} rows=${data.topAspects} label=${(r) => t(`aspect.${r.key}`)} value=${(r) => r.count} />` : html`<p class="muted">${t('nothingYet')}</p>`}
      </section>
    </div>
    <p class="muted">${t('precisionHelp')}</p>
    <div class="two">
      <section aria-labelledby=${idOf('pcue')}>
        <h2 id=${idOf('pcue')}>${t('precisionByCue')}</h2>
        <${PrecisionTable} rows=${data.precision.byCue} label=${cueLabel} />
      </section>
      <section aria-labelledby=${idOf('psource')}>
        <h2 id=${idOf('psource')}>${t('precisionBySource')}</h2>
        <${PrecisionTable} rows=${data.precision.bySource} label=${(key) => key} />
      </section>
    </div>
  </section>`;
}

// ---- the shell -----------------------------------------------------------------------------------------------------

function TokenForm({ onDone }) {
  const [value, setValue] = useState('');
  return html`<form
    class="dialog standalone"
    onSubmit=${(e) => {
      e.preventDefault();
      setToken(value.trim());
      onDone();
    }}
  >
    <h1>${t('signIn')}</h1>
    <p>${t('tokenPrompt')}</p>
    <label for="token">${t('token')}</label>
    <input
      id="token"
      type="password"
      autocomplete="current-password"
      value=${value}
      onInput=${(e) => setValue(e.currentTarget.value)}
    />
    <button type="submit">${t('signIn')}</button>
  </form>`;
}

function App() {
  const route = useRoute();
  const [, setLangVersion] = useState(0);
  const [attempt, setAttempt] = useState(0);
  const meta = useAsync(
    () =>
      fetchOnce('triage/meta').then((data) => {
        // SLA badges and "3 min ago" count from the server's clock (the demo's runs in its story's time).
        clockOffset = Date.parse(data.now) - Date.now();
        return data;
      }),
    [attempt],
  );
  useEffect(() => {
    document.documentElement.lang = lang();
  }, []);
  const { parts, params } = route;
  const brandParams = params.brand ? { brand: params.brand } : {};
  const choice = meta.data ? brandChoice(meta.data, params) : undefined;
  let page;
  let section = 'inbox';
  if (meta.error instanceof ApiError && meta.error.status === 401 && !usesCognito()) {
    page = html`<${TokenForm} onDone=${() => setAttempt((n) => n + 1)} />`;
  } else if (meta.error) {
    page = html`<${Failure} error=${meta.error} retry=${meta.reload} />`;
  } else if (!meta.data) {
    page = html`<p role="status">${t('loading')}</p>`;
  } else if (parts[0] === 'm' && parts.length >= 3) {
    page = html`<${MentionView} sourceId=${parts[1]} id=${parts.slice(2).join('/')} />`;
  } else if (parts[0] === 'incidents' && parts.length >= 3) {
    section = 'incidents';
    page = html`<${IncidentView} brand=${parts[1]} incidentKey=${parts.slice(2).join('/')} />`;
  } else if (parts[0] === 'incidents') {
    section = 'incidents';
    page = html`<${Incidents} meta=${meta.data} params=${params} />`;
  } else if (parts[0] === 'overview') {
    section = 'overview';
    page = html`<${Overview} meta=${meta.data} params=${params} />`;
  } else {
    page = html`<${Inbox} meta=${meta.data} params=${params} />`;
  }
  const detail = parts[0] === 'm' || (parts[0] === 'incidents' && parts.length >= 3);
  // One brand selector for the list pages (queue, incidents, overview): it keeps the page and its filters (but a
  // source belongs to one brand). A mention or an incident has its own brand: no selector there.
  const onBrand = (event) => {
    const listParts = section === 'inbox' ? [] : [section];
    go(listParts, { ...params, source: undefined, cursor: undefined, brand: event.currentTarget.value });
  };
  const brandSelect =
    !detail &&
    meta.data?.brands.length > 1 &&
    html`<label class="brand-switch">
      <span>${t('brand')}</span>
      <select name="brand" value=${choice.brand} onChange=${onBrand}>
        <option value=${ALL_BRANDS}>${t('allBrands')}</option>
        ${meta.data.brands.map((b) => html`<option value=${b.id}>${b.name}</option>`)}
      </select>
    </label>`;
  const navLink = (name, target) =>
    html`<a
      href=${target}
      class=${section === name ? 'active' : ''}
      aria-current=${section === name ? 'page' : undefined}
      >${t(name)}</a
    >`;
  return html`<a
      class="skip"
      href="#main"
      onClick=${(e) => {
        e.preventDefault();
        document.getElementById('main')?.focus();
      }}
      >${t('skip')}</a
    >
    <header class="top">
      <span class="logo">Earshot</span>
      <nav aria-label=${t('appName')}>
        ${navLink('inbox', hashFor([], brandParams))} ${navLink('incidents', hashFor(['incidents'], brandParams))}
        ${navLink('overview', hashFor(['overview'], brandParams))}
      </nav>
      ${brandSelect}
      <label class="lang-switch">
        <span class="sr-only">${t('language')}</span>
        <select
          value=${lang()}
          onChange=${(e) => {
            setLang(e.currentTarget.value);
            setLangVersion((n) => n + 1);
          }}
        >
          ${LANGUAGES.map((l) => html`<option value=${l.code}>${l.name}</option>`)}
        </select>
      </label>
      ${usesCognito() && html`<button class="link" onClick=${signOut}>${t('signOut')}</button>`}
    </header>
    <main id="main" tabindex="-1">
      ${
        choice?.unknown !== undefined &&
        !detail &&
        html`<div class="notice warn" role="status" data-testid="unknown-brand">
          ${t('unknownBrand', { brand: choice.unknown })}
        </div>`
      }
      ${page}
    </main>`;
}

initAuth().catch((error) => console.error(error));
prefetch('triage/meta').then((meta) => {
  const { parts, params } = parseHash();
  if (parts.length === 0) prefetch(queuePath(inboxFilters(meta, params), undefined, 50));
});
document.title = t('appName');
render(html`<${App} />`, document.getElementById('app'));
