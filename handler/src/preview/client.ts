/*
 * The preview page's own script (served as a file next to the gallery, or
 * inlined with a CSP hash in a standalone preview). It renders each Teams
 * Adaptive Card with Microsoft's `adaptivecards` library, Markdown through
 * markdown-it with raw HTML off and only http(s) links, and runs the channel
 * and severity filters. It never uses innerHTML on card data: the card JSON is
 * read from a data attribute and handed to the library, whose only HTML input
 * is markdown-it's escaped output.
 */

/** Host config close to Teams' light theme (Segoe UI, Teams' text and accent colours). */
const TEAMS_HOST_CONFIG = {
  fontFamily: "'Segoe UI', system-ui, 'DejaVu Sans', sans-serif",
  supportsInteractivity: true,
  spacing: { small: 4, default: 8, medium: 16, large: 20, extraLarge: 24, padding: 16 },
  separator: { lineThickness: 1, lineColor: '#E0E0E0' },
  fontSizes: { small: 12, default: 14, medium: 16, large: 20, extraLarge: 24 },
  fontWeights: { lighter: 300, default: 400, bolder: 600 },
  containerStyles: {
    default: {
      backgroundColor: '#FFFFFF',
      foregroundColors: {
        default: { default: '#242424', subtle: '#616161' },
        accent: { default: '#5B5FC7', subtle: '#6264A7' },
        attention: { default: '#C4314B', subtle: '#C4314BCC' },
        warning: { default: '#835C00', subtle: '#835C00CC' },
        good: { default: '#237B4B', subtle: '#237B4BCC' },
        dark: { default: '#242424', subtle: '#424242' },
        light: { default: '#FFFFFF', subtle: '#F5F5F5' },
      },
    },
    emphasis: { backgroundColor: '#F5F5F5' },
    accent: { backgroundColor: '#E8EBFA' },
    attention: { backgroundColor: '#FDF3F4' },
    warning: { backgroundColor: '#FBF6D9' },
    good: { backgroundColor: '#E7F2DA' },
  },
  actions: {
    maxActions: 6,
    spacing: 'default',
    buttonSpacing: 8,
    showCard: { actionMode: 'inline' },
    actionsOrientation: 'horizontal',
    actionAlignment: 'left',
  },
  factSet: {
    title: { weight: 'bolder', size: 'default', color: 'default', wrap: true, maxWidth: 160 },
    value: { weight: 'default', size: 'default', color: 'default', wrap: true },
    spacing: 10,
  },
};

const SCRIPT = `(function () {
  'use strict';
  var HOST_CONFIG = ${JSON.stringify(TEAMS_HOST_CONFIG)};

  function markdownRenderer() {
    if (typeof window.markdownit !== 'function') return null;
    var md = window.markdownit({ html: false, linkify: false, typographer: false });
    var validate = md.validateLink;
    md.validateLink = function (url) { return /^https?:\\/\\//i.test(url) && validate(url); };
    return md;
  }

  function renderAdaptiveCards() {
    var mounts = document.querySelectorAll('.teams-card[data-adaptive-card]');
    if (mounts.length === 0) return;
    var AC = window.AdaptiveCards;
    if (!AC) {
      mounts.forEach(function (el) {
        el.classList.add('failed');
        el.textContent = 'The adaptivecards library is not loaded (run npm ci); the card JSON is in the payload below.';
      });
      return;
    }
    var md = markdownRenderer();
    AC.AdaptiveCard.onProcessMarkdown = function (text, result) {
      if (!md) return;
      result.outputHtml = md.render(text);
      result.didProcess = true;
    };
    var hostConfig = new AC.HostConfig(HOST_CONFIG);
    mounts.forEach(function (el) {
      try {
        var card = new AC.AdaptiveCard();
        card.hostConfig = hostConfig;
        card.onExecuteAction = function (action) {
          var url = action && action.url;
          if (typeof url === 'string' && /^https:\\/\\//i.test(url)) window.open(url, '_blank', 'noopener,noreferrer');
        };
        var context = new AC.SerializationContext();
        card.parse(JSON.parse(el.getAttribute('data-adaptive-card') || 'null'), context);
        var rendered = card.render();
        if (!rendered) throw new Error('the renderer returned nothing');
        el.replaceChildren(rendered);
        el.classList.add('rendered');
        var problems = [];
        for (var i = 0; i < context.eventCount; i++) problems.push(context.getEventAt(i).message);
        if (problems.length > 0) {
          var list = document.createElement('ul');
          list.className = 'teams-card-warnings';
          problems.forEach(function (p) { var li = document.createElement('li'); li.textContent = p; list.appendChild(li); });
          el.appendChild(list);
          console.warn('Adaptive Card validation: ' + problems.join('; '));
        }
      } catch (error) {
        el.classList.add('failed');
        el.textContent = 'Adaptive Card failed to render: ' + (error && error.message);
        console.error('Adaptive Card failed to render', error);
      }
    });
  }

  function filters() {
    var bar = document.querySelector('.filters');
    if (!bar) return;
    var state = { channel: '', severity: '' };
    function apply() {
      bar.querySelectorAll('button[data-filter]').forEach(function (b) {
        b.setAttribute('aria-pressed', String(state[b.getAttribute('data-filter')] === b.getAttribute('data-value')));
      });
      document.querySelectorAll('[data-channel]').forEach(function (el) {
        el.hidden = state.channel !== '' && el.getAttribute('data-channel') !== state.channel;
      });
      var shown = 0;
      document.querySelectorAll('.finding').forEach(function (el) {
        var hide = state.severity !== '' && el.getAttribute('data-severity') !== state.severity;
        el.hidden = hide;
        if (!hide) shown++;
      });
      document.querySelectorAll('.toc a[data-severity]').forEach(function (a) {
        a.hidden = state.severity !== '' && a.getAttribute('data-severity') !== state.severity;
      });
      var count = document.querySelector('.filter-count');
      if (count) count.textContent = shown + ' shown';
      var hash = [state.channel && 'channel=' + state.channel, state.severity && 'severity=' + state.severity].filter(Boolean).join('&');
      history.replaceState(null, '', hash ? '#' + hash : location.pathname + location.search);
    }
    bar.addEventListener('click', function (event) {
      var button = event.target.closest('button[data-filter]');
      if (!button) return;
      state[button.getAttribute('data-filter')] = button.getAttribute('data-value');
      apply();
    });
    location.hash.slice(1).split('&').forEach(function (pair) {
      var kv = pair.split('=');
      if ((kv[0] === 'channel' || kv[0] === 'severity') && /^[A-Za-z]*$/.test(kv[1] || '')) state[kv[0]] = kv[1];
    });
    apply();
  }

  function start() {
    renderAdaptiveCards();
    filters();
    document.documentElement.setAttribute('data-ready', 'true');
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
`;

/** The in-page script, as text (inlined or written next to the gallery). */
export function previewScript(): string {
  return SCRIPT;
}
