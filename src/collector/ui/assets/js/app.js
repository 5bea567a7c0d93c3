// The page's router. The server answers /, /search and /trace/{id} with this
// same page (ui_routes.h); this file decides what to show from the URL and
// moves between views with the History API, so links, reloads and the back
// button all work without full page loads.
import {initSearchForm, showSearch} from './search.js';
import {showTrace} from './trace_view.js';

const view = document.getElementById('view');
// Where "← Search" returns: the last search, with its parameters.
let lastSearch = '/search';

function navigate(href) {
  history.pushState(null, '', href);
  route();
}

function route() {
  const trace = /^\/trace\/([^/]+)\/?$/.exec(location.pathname);
  if (trace) {
    showTrace(view, decodeURIComponent(trace[1]), lastSearch);
    return;
  }
  lastSearch = location.pathname + location.search;
  showSearch(view, new URLSearchParams(location.search));
}

// Same-origin links marked data-nav stay in the page; a modified click
// (new tab, new window) is left to the browser.
document.addEventListener('click', (event) => {
  const link = event.target.closest('a[data-nav]');
  if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey ||
      event.ctrlKey || event.shiftKey || event.altKey) {
    return;
  }
  event.preventDefault();
  navigate(link.getAttribute('href'));
});

document.getElementById('lookup').addEventListener('submit', (event) => {
  event.preventDefault();
  const id = document.getElementById('lookup-id').value.trim();
  if (id) navigate(`/trace/${encodeURIComponent(id)}`);
});

window.addEventListener('popstate', route);
initSearchForm(navigate);
route();
