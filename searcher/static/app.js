// The search page: reads its state from the URL, asks api/search and
// api/suggest, and draws the results. Every piece of text from the user or
// from the index is inserted as text (textContent, attributes, text nodes);
// the one exception, the snippet, is rebuilt from text and <mark> only.
(() => {
  'use strict';

  const PAGE_SIZE = 10;
  const MAX_PAGE = 100;        // the server's default --max-page
  const MONTHS_SHOWN = 12;     // month facets shown before "Show all"
  const SUGGEST_DELAY_MS = 120;

  const $ = (id) => document.getElementById(id);
  const form = $('search-form');
  const input = $('q');
  const suggestionList = $('suggestions');
  const statusLine = $('status');
  const results = $('results');
  const hitList = $('hits');
  const pager = $('pager');
  const chips = $('active-filters');
  const dateForm = $('date-form');
  const fromInput = $('from');
  const toInput = $('to');
  const panel = $('filter-panel');
  const sortButtons = Array.from(document.querySelectorAll('[data-sort]'));

  const HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
  const LANG_TAG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/;
  const DATE = /^\d{4}-\d{2}-\d{2}$/;

  // ---- State in the URL -------------------------------------------------

  function stateFromUrl() {
    const p = new URLSearchParams(window.location.search);
    const page = Number.parseInt(p.get('page') || '1', 10);
    const date = (v) => (v && DATE.test(v) ? v : '');
    return {
      q: (p.get('q') || '').trim(),
      page: Number.isFinite(page) && page >= 1 ? Math.min(page, MAX_PAGE) : 1,
      sort: p.get('sort') === 'date' ? 'date' : 'relevance',
      sources: p.getAll('source').filter((s) => s !== ''),
      from: date(p.get('from')),
      to: date(p.get('to')),
      langs: p.getAll('lang').filter((l) => l !== ''),
      like: (p.get('like') || '').trim(),
      allCopies: p.get('collapse') === '0',
    };
  }

  function stateParams(s) {
    const p = new URLSearchParams();
    if (s.q) p.set('q', s.q);
    if (s.page > 1) p.set('page', String(s.page));
    if (s.sort === 'date') p.set('sort', 'date');
    for (const source of s.sources) p.append('source', source);
    if (s.from) p.set('from', s.from);
    if (s.to) p.set('to', s.to);
    for (const lang of s.langs) p.append('lang', lang);
    if (s.like) p.set('like', s.like);
    if (s.allCopies) p.set('collapse', '0');
    return p;
  }

  function stateUrl(s) {
    const qs = stateParams(s).toString();
    return qs ? `?${qs}` : window.location.pathname;
  }

  let state = stateFromUrl();

  // A control that is drawn again with the results (a facet, a chip) keeps
  // the keyboard focus through its data-key.
  function focusedKey() {
    const active = document.activeElement;
    return active && active.dataset ? active.dataset.key || null : null;
  }

  function navigate(next, focusResults) {
    const key = focusedKey();
    state = next;
    window.history.pushState(null, '', stateUrl(next));
    load(next, focusResults, key);
  }

  window.addEventListener('popstate', () => {
    state = stateFromUrl();
    load(state, false);
  });

  // ---- Small helpers ----------------------------------------------------

  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    if (props) {
      for (const [key, value] of Object.entries(props)) {
        if (value === undefined || value === null || value === false) continue;
        if (key === 'text') node.textContent = value;
        else if (key === 'className') node.className = value;
        else node.setAttribute(key, value === true ? '' : String(value));
      }
    }
    for (const child of children) if (child !== null && child !== undefined) node.append(child);
    return node;
  }

  // A lang attribute for text: the result's own tag when it is well formed,
  // else "zh" for text with Han characters (so that a Chinese font is used).
  function langFor(text, tag) {
    if (typeof tag === 'string' && LANG_TAG.test(tag)) return tag;
    return HAN.test(text || '') ? 'zh' : null;
  }

  // Only web links become links: no javascript:, data: or relative URLs.
  function safeLink(url) {
    if (typeof url !== 'string' || url === '') return null;
    try {
      const u = new URL(url);
      return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
    } catch {
      return null;
    }
  }

  // The API's snippet is HTML-escaped text with <mark> around matches. It is
  // parsed in an inert document and rebuilt from text and <mark> alone, so
  // nothing else can reach the page even if the snippet were not what we think.
  function snippetNodes(html) {
    const doc = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
    const out = [];
    for (const node of doc.body.childNodes) {
      if (node.nodeType === Node.TEXT_NODE) out.push(document.createTextNode(node.data));
      else if (node.nodeName === 'MARK') out.push(el('mark', { text: node.textContent }));
      else out.push(document.createTextNode(node.textContent || ''));
    }
    return out;
  }

  function monthRange(month) {
    const [y, m] = month.split('-').map((x) => Number.parseInt(x, 10));
    const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
    return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
  }

  function sameSource(a, b) {
    return a.toLocaleLowerCase() === b.toLocaleLowerCase();
  }

  function plainClick(event) {
    return event.button === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey && !event.altKey;
  }

  // ---- Loading and drawing results --------------------------------------

  let searchController = null;

  function setInputLang() {
    if (HAN.test(input.value)) input.lang = 'zh';
    else input.removeAttribute('lang');
  }

  function drawControls(s) {
    input.value = s.q;
    setInputLang();
    fromInput.value = s.from;
    toInput.value = s.to;
    for (const b of sortButtons) b.setAttribute('aria-pressed', String(b.dataset.sort === s.sort));
    document.title = s.q ? `${s.q} – News search` : 'News search';
  }

  function clearResults() {
    hitList.replaceChildren();
    chips.replaceChildren();
    for (const facet of FACETS) {
      facet.list.replaceChildren();
      if (facet.more) facet.more.hidden = true;
    }
    pager.hidden = true;
    pager.replaceChildren();
    drawAlsoSearched([]);
    drawPartialNotice([]);
  }

  function showMessage(text, isError) {
    statusLine.textContent = text;
    statusLine.classList.toggle('error', Boolean(isError));
  }

  async function load(s, focusResults, restoreKey) {
    drawControls(s);
    if (searchController) searchController.abort();
    searchController = null;
    if (!s.q && !s.like) {
      clearResults();
      results.removeAttribute('aria-busy');
      showMessage('Search English and Chinese news: type words, “phrases”, source:Name or 2025-06-01..2025-07-01.');
      return;
    }
    const controller = new AbortController();
    searchController = controller;
    const params = stateParams(s);
    params.set('size', String(PAGE_SIZE));
    results.setAttribute('aria-busy', 'true');
    let status = 0;
    let data = null;
    try {
      // A busy server answers 503 at once: try once more a second later.
      for (let attempt = 0; attempt < 2; attempt += 1) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 1000));
        if (controller.signal.aborted) return;
        const response = await fetch(`api/search?${params}`, {
          signal: controller.signal,
          headers: { Accept: 'application/json' },
        });
        status = response.status;
        data = await response.json().catch(() => null);
        if (status !== 503 || !response.headers.has('Retry-After')) break;
      }
    } catch (error) {
      if (controller.signal.aborted) return;
      clearResults();
      showMessage('The search service could not be reached. Try again.', true);
      results.removeAttribute('aria-busy');
      return;
    }
    if (controller.signal.aborted) return;
    results.removeAttribute('aria-busy');
    if (status !== 200 || !data || !Array.isArray(data.results)) {
      clearResults();
      const reason = data && typeof data.error === 'string' ? data.error : `HTTP ${status}`;
      showMessage(status === 400 ? `Cannot search for that: ${reason}.` : `The search failed (${reason}). Try again.`, true);
      return;
    }
    draw(s, data);
    if (focusResults) {
      statusLine.focus();
      window.scrollTo(0, 0);
    } else if (restoreKey) {
      const again = Array.from(document.querySelectorAll('[data-key]')).find((n) => n.dataset.key === restoreKey);
      if (again) again.focus();
      else statusLine.focus();
    }
  }

  function draw(s, data) {
    const total = Number(data.total) || 0;
    const pages = Math.min(Math.ceil(total / PAGE_SIZE), MAX_PAGE);

    // The status line: how many, for what, which page.
    const query = el('q', { lang: langFor(s.q) }, s.q);
    statusLine.classList.remove('error');
    if (data.results.length === 0) {
      statusLine.replaceChildren(s.page > 1 && total > 0 ? 'No more results for ' : 'No results for ', query, '.');
    } else {
      const about = total === 1 ? '1 result' : `About ${total.toLocaleString('en')} results`;
      const pageText = pages > 1 ? ` · page ${s.page} of ${pages}` : '';
      statusLine.replaceChildren(`${about} for `, query, pageText);
    }
    if (s.like) {
      const what = data.results.length === 0 ? 'No articles like the chosen one' : `${total.toLocaleString('en')} articles like the chosen one`;
      statusLine.replaceChildren(s.q ? `${what}, for ` : what, ...(s.q ? [query] : []), '.');
    }
    drawAlsoSearched(data.expansions);
    drawPartialNotice(data.missing_shards);
    // A spelling correction that finds more: offered as a link, never applied.
    if (typeof data.did_you_mean === 'string' && data.did_you_mean !== '') {
      const next = { ...s, q: data.did_you_mean, page: 1 };
      const link = el('a', { href: stateUrl(next), className: 'did-you-mean', 'data-key': 'did-you-mean', text: data.did_you_mean });
      link.addEventListener('click', (event) => {
        event.preventDefault();
        navigate(next, true);
      });
      statusLine.append(' Did you mean: ', link, '?');
    }

    // Source name -> language of its results on this page, for lang attributes.
    const sourceLang = new Map();
    for (const hit of data.results) if (hit.source && !sourceLang.has(hit.source)) sourceLang.set(hit.source, hit.lang);

    hitList.replaceChildren(...data.results.map(drawHit));
    hitList.setAttribute('start', String((s.page - 1) * PAGE_SIZE + 1));
    drawChips(s, sourceLang);
    drawFacets(s, data.facets || {}, sourceLang);
    drawPager(s, pages);
  }

  function drawHit(hit) {
    const title = typeof hit.title === 'string' && hit.title.trim() !== '' ? hit.title : '(untitled)';
    const href = safeLink(hit.url);
    const heading = el('h2', { className: 'hit-title' },
      href ? el('a', { href, rel: 'noopener noreferrer', text: title }) : title);
    const meta = el('p', { className: 'hit-meta' });
    if (hit.source) meta.append(el('span', { className: 'hit-source', text: hit.source }));
    if (typeof hit.published === 'string' && hit.published.length >= 10) {
      meta.append(el('time', { datetime: hit.published, text: hit.published.slice(0, 10) }));
    }
    if (typeof hit.id === 'string' && hit.id !== '') {
      const next = { ...state, q: '', like: hit.id, page: 1 };
      const more = el('a', { href: stateUrl(next), className: 'more-like', text: 'More like this' });
      more.addEventListener('click', (event) => {
        event.preventDefault();
        navigate(next, true);
      });
      meta.append(more);
    }
    // Copies of one story are collapsed; the link shows every copy of the page's results.
    const copies = Number(hit.copies) || 1;
    if (copies > 1) {
      const next = { ...state, page: 1, allCopies: true };
      const label = copies === 2 ? '+1 copy' : `+${copies - 1} copies`;
      const link = el('a', { className: 'hit-copies', href: stateUrl(next), text: label });
      link.addEventListener('click', (event) => {
        if (!plainClick(event)) return;
        event.preventDefault();
        navigate(next, true);
      });
      meta.append(link);
    }
    const snippet = el('p', { className: 'hit-snippet' }, ...snippetNodes(String(hit.snippet || '')));
    const parts = [heading, meta, snippet];
    // The query words this article lacks, struck through as web search engines show them.
    const missing = Array.isArray(hit.missing) ? hit.missing.filter((w) => typeof w === 'string') : [];
    if (missing.length > 0) {
      const words = [];
      missing.forEach((w, i) => words.push(...(i > 0 ? [', '] : []), el('s', { lang: langFor(w), text: w })));
      parts.push(el('p', { className: 'hit-missing' }, 'Missing: ', ...words));
    }
    return el('li', { className: 'hit', lang: langFor(title, hit.lang) }, ...parts);
  }

  // Shards of the index that were down or too slow and were left out of
  // this answer (the server allowed a partial answer): named, so that the
  // results are not taken for all there is.
  function drawPartialNotice(missing) {
    const line = $('partial-notice');
    const names = (Array.isArray(missing) ? missing : []).filter((n) => typeof n === 'string');
    if (names.length === 0) {
      line.hidden = true;
      line.replaceChildren();
      return;
    }
    const which = names.length === 1 ? 'One part of the index' : `${names.length} parts of the index`;
    line.replaceChildren(`${which} did not answer, so these results may be incomplete. Not searched: ${names.join(', ')}.`);
    line.hidden = false;
  }

  // What the query's words were expanded to (other names, kind words,
  // translations), listed once each under the search box.
  function drawAlsoSearched(expansions) {
    const line = $('also-searched');
    const forms = [];
    for (const e of Array.isArray(expansions) ? expansions : []) {
      for (const form of Array.isArray(e.to) ? e.to : []) {
        if (typeof form === 'string' && !forms.includes(form)) forms.push(form);
      }
    }
    if (forms.length === 0) {
      line.hidden = true;
      line.replaceChildren();
      return;
    }
    const SHOWN = 8;
    const shown = forms.slice(0, SHOWN).join(', ');
    const more = forms.length > SHOWN ? ` and ${forms.length - SHOWN} more` : '';
    line.replaceChildren(`Also searched: ${shown}${more}`);
    line.hidden = false;
  }

  function drawChips(s, sourceLang) {
    const items = [];
    for (const source of s.sources) {
      const rest = s.sources.filter((x) => x !== source);
      items.push(chip(`Source: `, source, sourceLang.get(source), `Remove the source filter ${source}`,
        { ...s, sources: rest, page: 1 }));
    }
    for (const lang of s.langs) {
      items.push(chip('Language: ', lang, null, `Remove the language filter ${lang}`,
        { ...s, langs: s.langs.filter((x) => x !== lang), page: 1 }));
    }
    if (s.like) {
      items.push(chip('Like: ', s.like, null, 'Stop finding articles like this one', { ...s, like: '', page: 1 }));
    }
    if (s.from || s.to) {
      const range = `${s.from || '…'} – ${s.to || '…'}`;
      items.push(chip('Date: ', range, null, `Remove the date filter ${range}`, { ...s, from: '', to: '', page: 1 }));
    }
    chips.replaceChildren(...items);
  }

  function chip(label, value, lang, ariaLabel, next) {
    const button = el('button', { type: 'button', className: 'chip', 'aria-label': ariaLabel, 'data-key': `chip:${label}${value}` },
      label, el('span', { lang: langFor(value, lang), text: value }), el('span', { 'aria-hidden': 'true', text: ' ×' }));
    button.addEventListener('click', () => navigate(next, false));
    return el('li', null, button);
  }

  function facetButton(key, name, count, pressed, lang, onClick) {
    const button = el('button', { type: 'button', className: 'facet', 'aria-pressed': String(pressed), 'data-key': key },
      el('span', { className: 'facet-name', lang: langFor(name, lang), text: name }),
      el('span', { className: 'facet-count', text: String(count) }));
    button.addEventListener('click', onClick);
    return el('li', null, button);
  }

  // The facets of the API's "facets" object, in the order the page shows
  // them: where each is drawn, which state a value filters on, and how many
  // values show before "Show all".
  const FACETS = [
    {
      name: 'source',
      list: $('source-facets'),
      empty: 'No sources',
      lang: (value, sourceLang) => sourceLang.get(value),
      pressed: (s, value) => s.sources.some((x) => sameSource(x, value)),
      toggle: (s, value, pressed) => {
        const rest = s.sources.filter((x) => !sameSource(x, value));
        return { ...s, sources: pressed ? rest : [...rest, value], page: 1 };
      },
    },
    {
      name: 'month',
      list: $('month-facets'),
      empty: 'No dates',
      shown: MONTHS_SHOWN,
      more: $('more-months'),
      plural: 'months',
      lang: () => null,
      pressed: (s, value) => {
        const range = /^\d{4}-\d{2}$/.test(value) ? monthRange(value) : null;
        return Boolean(range) && s.from === range.from && s.to === range.to;
      },
      toggle: (s, value, pressed) => {
        if (!/^\d{4}-\d{2}$/.test(value)) return null;
        const range = monthRange(value);
        return { ...s, from: pressed ? '' : range.from, to: pressed ? '' : range.to, page: 1 };
      },
    },
    {
      name: 'lang',
      list: $('lang-facets'),
      empty: 'No languages',
      lang: () => null,
      pressed: (s, value) => s.langs.some((x) => x.toLowerCase() === value.toLowerCase()),
      toggle: (s, value, pressed) => {
        const rest = s.langs.filter((x) => x.toLowerCase() !== value.toLowerCase());
        return { ...s, langs: pressed ? rest : [...rest, value], page: 1 };
      },
    },
  ];

  const showAll = new Set(); // names of the facets whose every value is shown
  let lastFacets = null; // what drawFacets last drew, to redraw on "Show all"

  function drawFacets(s, facets, sourceLang) {
    lastFacets = { s, facets, sourceLang };
    for (const facet of FACETS) {
      const values = Array.isArray(facets[facet.name]) ? facets[facet.name] : [];
      const limited = facet.shown && !showAll.has(facet.name);
      const shown = limited ? values.slice(0, facet.shown) : values;
      facet.list.replaceChildren(...shown.map((f) => {
        const value = String(f.value);
        const pressed = facet.pressed(s, value);
        return facetButton(`${facet.name}:${value}`, value, f.count, pressed, facet.lang(value, sourceLang), () => {
          const next = facet.toggle(s, value, pressed);
          if (next) navigate(next, false);
        });
      }));
      if (values.length === 0) facet.list.append(el('li', { className: 'facet-empty', text: facet.empty }));
      if (facet.more) {
        facet.more.hidden = values.length <= facet.shown;
        facet.more.textContent = showAll.has(facet.name)
          ? `Show fewer ${facet.plural}` : `Show all ${values.length} ${facet.plural}`;
      }
    }
  }

  function pageLink(s, page, label, extra) {
    const link = el('a', { href: stateUrl({ ...s, page }), ...extra }, label);
    link.addEventListener('click', (event) => {
      if (!plainClick(event)) return;
      event.preventDefault();
      navigate({ ...s, page }, true);
    });
    return link;
  }

  function drawPager(s, pages) {
    if (pages <= 1) {
      pager.hidden = true;
      pager.replaceChildren();
      return;
    }
    const items = [];
    if (s.page > 1) items.push(pageLink(s, s.page - 1, '← Previous', { rel: 'prev', className: 'step' }));
    const wanted = new Set([1, pages]);
    for (let p = s.page - 2; p <= s.page + 2; p += 1) if (p >= 1 && p <= pages) wanted.add(p);
    let last = 0;
    for (const p of [...wanted].sort((a, b) => a - b)) {
      if (p - last > 1) items.push(el('span', { className: 'gap', 'aria-hidden': 'true', text: '…' }));
      const label = `Page ${p}`;
      items.push(p === s.page
        ? pageLink(s, p, String(p), { 'aria-current': 'page', 'aria-label': label, className: 'current' })
        : pageLink(s, p, String(p), { 'aria-label': label }));
      last = p;
    }
    if (s.page < pages) items.push(pageLink(s, s.page + 1, 'Next →', { rel: 'next', className: 'step' }));
    pager.replaceChildren(...items);
    pager.hidden = false;
  }

  // ---- The search box and its suggestions (an ARIA combobox) ------------

  let suggestTimer = 0;
  let suggestController = null;
  let options = [];
  let activeOption = -1;

  function closeSuggestions() {
    suggestionList.hidden = true;
    suggestionList.replaceChildren();
    options = [];
    activeOption = -1;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
  }

  function cancelSuggestions() {
    clearTimeout(suggestTimer);
    if (suggestController) suggestController.abort();
    suggestController = null;
    closeSuggestions();
  }

  function setActiveOption(i) {
    activeOption = i;
    options.forEach((node, j) => node.setAttribute('aria-selected', String(j === i)));
    if (i >= 0) {
      input.setAttribute('aria-activedescendant', options[i].id);
      options[i].scrollIntoView({ block: 'nearest' });
    } else {
      input.removeAttribute('aria-activedescendant');
    }
  }

  function chooseOption(i) {
    input.value = options[i].dataset.value;
    setInputLang();
    cancelSuggestions();
    form.requestSubmit();
  }

  function showSuggestions(list) {
    closeSuggestions();
    list.forEach((text, i) => {
      const option = el('li', { id: `suggestion-${i}`, role: 'option', 'aria-selected': 'false', lang: langFor(text) }, text);
      option.dataset.value = text;
      option.addEventListener('mousedown', (event) => {
        event.preventDefault(); // keep the focus in the box
        chooseOption(i);
      });
      options.push(option);
    });
    if (options.length === 0) return;
    suggestionList.replaceChildren(...options);
    suggestionList.hidden = false;
    input.setAttribute('aria-expanded', 'true');
  }

  async function fetchSuggestions() {
    const text = input.value;
    if (text.trim() === '' || text.length > 200) {
      closeSuggestions();
      return;
    }
    if (suggestController) suggestController.abort();
    const controller = new AbortController();
    suggestController = controller;
    try {
      const response = await fetch(`api/suggest?${new URLSearchParams({ q: text })}`, { signal: controller.signal });
      const data = response.ok ? await response.json() : null;
      if (controller.signal.aborted || input.value !== text || document.activeElement !== input) return;
      const list = data && Array.isArray(data.suggestions) ? data.suggestions : [];
      showSuggestions(list.filter((x) => typeof x === 'string' && x !== '' && x !== text).slice(0, 10));
    } catch {
      if (!controller.signal.aborted) closeSuggestions();
    }
  }

  function scheduleSuggestions() {
    clearTimeout(suggestTimer);
    suggestTimer = setTimeout(fetchSuggestions, SUGGEST_DELAY_MS);
  }

  input.addEventListener('input', (event) => {
    setInputLang();
    if (!event.isComposing) scheduleSuggestions();
  });
  input.addEventListener('compositionend', scheduleSuggestions);
  input.addEventListener('blur', () => setTimeout(() => {
    if (document.activeElement !== input) cancelSuggestions();
  }, 0));

  input.addEventListener('keydown', (event) => {
    if (event.isComposing || event.keyCode === 229) return;
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      if (options.length === 0) fetchSuggestions();
      else setActiveOption((activeOption + 1) % options.length);
    } else if (event.key === 'ArrowUp') {
      if (options.length === 0) return;
      event.preventDefault();
      setActiveOption(activeOption <= 0 ? options.length - 1 : activeOption - 1);
    } else if (event.key === 'Enter') {
      if (activeOption >= 0) {
        event.preventDefault();
        chooseOption(activeOption);
      }
    } else if (event.key === 'Escape') {
      if (options.length > 0) {
        event.preventDefault();
        closeSuggestions();
      }
    }
  });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    cancelSuggestions();
    const q = input.value.trim();
    navigate({ ...state, q, like: '', page: 1 }, false);
  });

  // ---- Filters and sort -------------------------------------------------

  for (const button of sortButtons) {
    button.addEventListener('click', () => {
      if (button.dataset.sort !== state.sort) navigate({ ...state, sort: button.dataset.sort, page: 1 }, false);
    });
  }

  dateForm.addEventListener('submit', (event) => {
    event.preventDefault();
    let from = DATE.test(fromInput.value) ? fromInput.value : '';
    let to = DATE.test(toInput.value) ? toInput.value : '';
    if (from && to && from > to) [from, to] = [to, from];
    navigate({ ...state, from, to, page: 1 }, false);
  });

  for (const facet of FACETS) {
    if (!facet.more) continue;
    facet.more.addEventListener('click', () => {
      if (!showAll.delete(facet.name)) showAll.add(facet.name);
      if (lastFacets) drawFacets(lastFacets.s, lastFacets.facets, lastFacets.sourceLang);
    });
  }

  // Filters start open on wide screens and folded on phones.
  const wide = window.matchMedia('(min-width: 52em)');
  panel.open = wide.matches;
  wide.addEventListener('change', (event) => { panel.open = event.matches; });

  load(state, false);
})();
