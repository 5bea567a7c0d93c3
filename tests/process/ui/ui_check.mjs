// Drives the collector's web UI in headless Chromium (Debian's, through
// playwright-core) as a person would: search, open a trace, read the
// waterfall, click a span. Run by collector_ui_test.py, which starts the
// collector, sends the traces and passes what it sent as JSON:
//
//   node ui_check.mjs '{"base": "http://127.0.0.1:PORT", "chromium": "/usr/bin/chromium",
//                       "screenshotDir": "...", "errorTrace": {...}, "okTrace": {...}}'
//
// Exits non-zero with the failed assertion; prints the screenshots' paths.
import assert from 'node:assert/strict';
import path from 'node:path';
import {chromium} from 'playwright-core';

const cfg = JSON.parse(process.argv[2]);
const {base, errorTrace, okTrace} = cfg;
const TIMEOUT = 15000;

const browser = await chromium.launch({
  executablePath: cfg.chromium,
  headless: true,
  // As root Chromium needs --no-sandbox; the rest keep it from reaching for
  // Google's hosts, which this machine's closed network refuses.
  args: ['--no-sandbox', '--headless=new', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

const problems = [];
const screenshots = [];

async function newPage() {
  const page = await browser.newPage({viewport: {width: 1400, height: 900}});
  page.setDefaultTimeout(TIMEOUT);
  // Everything must come from the collector itself: no CDN, no fonts.
  page.on('request', (r) => {
    if (!r.url().startsWith(base) && !r.url().startsWith('data:')) {
      problems.push(`request outside the collector: ${r.url()}`);
    }
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()} for ${r.url()}`);
  });
  return page;
}

async function shot(page, name) {
  const file = path.join(cfg.screenshotDir, name);
  await page.screenshot({path: file, fullPage: true});
  screenshots.push(file);
}

try {
  // 1. Search by service, as a first-time user does.
  const page = await newPage();
  await page.goto(`${base}/`);
  await page.locator(`#service option[value="${errorTrace.rootService}"]`).waitFor({state: 'attached'});
  const services = await page.locator('#service option').evaluateAll((os) => os.map((o) => o.value));
  for (const s of errorTrace.services) assert.ok(services.includes(s), `service ${s} in ${services}`);
  await page.selectOption('#service', errorTrace.rootService);
  await page.locator(`#operation option[value="${errorTrace.rootOperation}"]`)
      .waitFor({state: 'attached'});
  await page.selectOption('#lookback', '1h');
  await page.click('#find');
  const errorResult = page.locator(`.trace-result[data-trace-id="${errorTrace.traceID}"]`);
  await errorResult.waitFor();
  await page.locator(`.trace-result[data-trace-id="${okTrace.traceID}"]`).waitFor();
  assert.match(page.url(), /\/search\?.*service=/, 'the search is in the URL');
  const errorText = await errorResult.innerText();
  assert.match(errorText, new RegExp(`${errorTrace.spans.length} spans`));
  assert.match(errorText, /1 error/);
  assert.match(errorText, new RegExp(errorTrace.rootOperation.replace(/[/]/g, '\\/')));
  for (const s of errorTrace.services) assert.ok(errorText.includes(s), `${s} listed in result`);
  assert.equal(await errorResult.evaluate((el) => el.classList.contains('has-error')), true);
  assert.equal(await page.locator(`.trace-result[data-trace-id="${okTrace.traceID}"].has-error`)
      .count(), 0, 'the trace without errors is not marked');
  await shot(page, 'collector-ui-search.png');

  // Minimum duration (of a span, as in Jaeger) and limit narrow it too.
  const okResult = page.locator(`.trace-result[data-trace-id="${okTrace.traceID}"]`);
  await page.fill('#min-duration', '100ms');
  await page.click('#find');
  await page.waitForURL(/minDuration=100ms/);
  await okResult.waitFor({state: 'detached'});
  await errorResult.waitFor();
  await page.fill('#min-duration', '');
  await page.fill('#limit', '1');
  await page.click('#find');
  await page.waitForURL(/limit=1$/);
  await okResult.waitFor();  // the most recent one
  assert.equal(await page.locator('.trace-result').count(), 1);
  await page.fill('#limit', '20');

  // 2. Tag search narrows to the failing trace. Tags match on one span, as
  // in Jaeger, and the failed span is another service's: search them all.
  await page.selectOption('#service', '');
  await page.fill('#tags', 'error=true');
  await page.click('#find');
  await page.waitForURL(/tags=error/);
  await page.locator('#result-count').filter({hasText: /^1 trace$/}).waitFor();
  await errorResult.waitFor();

  // 3. Open the trace from the result list.
  await errorResult.locator('a').click();
  await page.waitForURL(new RegExp(`/trace/${errorTrace.traceID}$`));
  const rows = page.locator('.span-row');
  await rows.first().waitFor();
  assert.equal(await rows.count(), errorTrace.spans.length, 'one waterfall row per span');
  assert.equal(await page.locator('.span-bar').count(), errorTrace.spans.length,
      'one bar per span');
  const errorRows = page.locator('.span-row.error');
  assert.equal(await errorRows.count(), 1, 'exactly the failed span is marked');
  assert.equal(await errorRows.first().getAttribute('data-span-id'), errorTrace.errorSpanID);
  assert.equal(await errorRows.locator('.error-icon').count(), 1);

  // Bars sit on the time axis: the root spans the width; a child starts no
  // earlier and ends no later than its parent; depth follows the parents.
  const boxes = {};
  for (const span of errorTrace.spans) {
    const row = page.locator(`.span-row[data-span-id="${span.spanID}"]`);
    boxes[span.spanID] = await row.locator('.span-bar').boundingBox();
    assert.equal(await row.getAttribute('data-depth'), String(span.depth), `depth of ${span.name}`);
    assert.equal(await row.getAttribute('data-service'), span.service);
  }
  for (const span of errorTrace.spans.filter((s) => s.parentSpanID)) {
    const child = boxes[span.spanID];
    const parent = boxes[span.parentSpanID];
    assert.ok(child.x >= parent.x - 1, `${span.name} starts within its parent`);
    assert.ok(child.x + child.width <= parent.x + parent.width + 1,
        `${span.name} ends within its parent`);
  }
  const rootBox = boxes[errorTrace.spans[0].spanID];
  const smallest = Math.min(...Object.values(boxes).map((b) => b.width));
  assert.ok(rootBox.width > 4 * smallest, 'bars are scaled by duration');
  // Services get distinct colours.
  const colors = new Set();
  for (const s of errorTrace.services) {
    colors.add(await page.locator(`.span-row[data-service="${s}"] .span-bar`).first()
        .evaluate((el) => getComputedStyle(el).backgroundColor));
  }
  assert.equal(colors.size, errorTrace.services.length, 'one colour per service');

  // 4. Span details on click: attributes, events, links, resource, logs.
  await errorRows.first().click();
  const details = page.locator(`.span-details[data-span-id="${errorTrace.errorSpanID}"]`);
  await details.waitFor({state: 'visible'});
  for (const [key, value] of Object.entries(errorTrace.errorAttributes)) {
    const row = details.locator(`.tag-table.attributes tr[data-key="${key}"]`);
    assert.equal(await row.count(), 1, `attribute ${key} shown`);
    assert.equal((await row.locator('td.value').innerText()).trim(), value, `value of ${key}`);
  }
  const detailsText = await details.innerText();
  assert.match(detailsText, /ERROR: card declined/);
  assert.match(detailsText, /exception/);
  assert.match(detailsText, /CardDeclined/);
  assert.match(detailsText, new RegExp(errorTrace.resourceTag));
  assert.match(detailsText, /retrying charge/, 'the span\'s log line');
  await shot(page, 'collector-ui-trace.png');

  // Links: the span linking to the other trace shows it, and it navigates.
  const linking = page.locator(`.span-row[data-span-id="${errorTrace.linkingSpanID}"]`);
  await linking.click();
  const linkDetails = page.locator(`.span-details[data-span-id="${errorTrace.linkingSpanID}"]`);
  await linkDetails.waitFor({state: 'visible'});
  assert.equal(await linkDetails.locator(`a[href="/trace/${okTrace.traceID}"]`).count(), 1);

  // 5. The trace's log lines, and a click from a log line to its span.
  const logs = page.locator('#trace-logs .log-row');
  assert.equal(await logs.count(), errorTrace.logs.length, 'every log line of the trace');
  assert.match(await page.locator('#trace-logs').innerText(), /checkout started/);

  // Folding a parent hides its subtree.
  const foldable = page.locator(`.span-row[data-span-id="${errorTrace.spans[0].spanID}"] .fold`);
  await foldable.click();
  assert.equal(await page.locator('.span-row:visible').count(), 1, 'folded to the root');
  await foldable.click();
  assert.equal(await page.locator('.span-row:visible').count(), errorTrace.spans.length);

  // 6. Back to the search keeps its parameters.
  await page.click('a.back');
  await page.waitForURL(/\/search\?.*tags=error/);
  await errorResult.waitFor();
  assert.equal(await page.inputValue('#tags'), 'error=true');
  await page.close();

  // 7. A deep link opens the trace directly (the server answers
  // /trace/{id} with the page), and an unknown trace says so.
  const direct = await newPage();
  await direct.goto(`${base}/trace/${okTrace.traceID}`);
  await direct.locator('.span-row').first().waitFor();
  assert.equal(await direct.locator('.span-row').count(), okTrace.spans.length);
  assert.equal(await direct.locator('.span-row.error').count(), 0);
  await shot(direct, 'collector-ui-deep-link.png');
  const missingProblems = problems.length;
  await direct.goto(`${base}/trace/0123456789abcdef0123456789abcdef`);
  await direct.locator('.error-message').filter({hasText: /not found/}).waitFor();
  // The 404 of the API call behind "not found" is expected here.
  problems.splice(missingProblems);
  await direct.close();
} finally {
  await browser.close();
}

for (const file of screenshots) console.log(`screenshot: ${file}`);
assert.deepEqual(problems, [], 'no errors, failed requests or outside requests in the page');
console.log('ui_check: all checks passed');
