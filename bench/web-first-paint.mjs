// The web view's first paint on a large cluster (`npm run bench`, the 100k-pod cluster): Debian's
// chromium driven by playwright-core opens `/` of the admin address on one namespace and waits for
// the first snapshot to be painted. Skipped (undefined) without /usr/bin/chromium.
import { existsSync } from 'node:fs';

const CHROMIUM = '/usr/bin/chromium';

/**
 * Opens the page twice (the first open may build the API's object store; the second is what a
 * user sees on any later visit); reports ms from navigation to the painted snapshot, the
 * browser's first-contentful-paint, and how many Services/pods the namespace's stream carried.
 */
export async function measureWebFirstPaint(adminUrl, namespace) {
  if (!existsSync(CHROMIUM)) return undefined;
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  try {
    const open = async () => {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      const t0 = performance.now();
      await page.goto(`${adminUrl}/#ns=${namespace}`);
      await page.waitForSelector('body[data-ready]', { timeout: 120_000 });
      // data-ready is set after the snapshot's render; the frame after it is on screen.
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
      const ms = Math.round(performance.now() - t0);
      const fcp = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime);
      const marks = await page.evaluate(() => Object.fromEntries(performance.getEntriesByType('mark').map((m) => [m.name, Math.round(m.startTime)])));
      const counts = await page.evaluate(() => ({ services: document.querySelectorAll('article.svc').length, podRows: document.querySelectorAll('tr[data-pod]').length }));
      // Responsive after the paint: typing in the filter repaints within one frame or two.
      const t1 = performance.now();
      await page.fill('#filter', 'db-3');
      await page.waitForFunction(() => [...document.querySelectorAll('article.svc')].every((a) => a.dataset.service.includes('db-3')));
      const filterMs = Math.round(performance.now() - t1);
      await page.close();
      return { ms, fcpMs: fcp === undefined ? undefined : Math.round(fcp), filterMs, snapshotAtMs: marks['snapshot-received'], renderedAtMs: marks['snapshot-rendered'], ...counts };
    };
    const first = await open();
    const again = await open();
    return { namespace, firstOpenMs: first.ms, openMs: again.ms, fcpMs: again.fcpMs, snapshotAtMs: again.snapshotAtMs, renderedAtMs: again.renderedAtMs, filterMs: again.filterMs, servicesShown: again.services, podRowsShown: again.podRows };
  } finally {
    await browser.close();
  }
}

// `node bench/web-first-paint.mjs http://127.0.0.1:8080 team-0` against a running server.
if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(`${JSON.stringify(await measureWebFirstPaint(process.argv[2] ?? 'http://127.0.0.1:8080', process.argv[3] ?? 'default'))}\n`);
}
