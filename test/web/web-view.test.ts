import http from 'node:http';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { dig } from '../helpers/dns-client.js';
import { newLabDir, startLiveServer, waitFor, type LiveServer } from '../helpers/live-server.js';
import { REPO_ROOT } from '../helpers/server.js';

// The web view in a real browser (Debian's chromium, installed by .ci/run), against the built CLI
// serving the seed's lab: what the page shows is what dig answers, and it follows the cluster live.
const CHROMIUM = '/usr/bin/chromium';
const SHOTS = process.env.KDS_WEB_SHOTS ?? mkdtempSync(join(tmpdir(), 'kds-web-shots-'));
/** `KDS_WEB_DOCS_SHOT=1`: also write the README's screenshot, docs/web-view.png. */
const DOCS_SHOT = process.env.KDS_WEB_DOCS_SHOT === '1';

const launch = () =>
  chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });

const digShort = async (port: number, name: string, type = 'A') => (await dig(['@127.0.0.1', '-p', String(port), '+short', name, type])).trim().split('\n').filter(Boolean).sort();

/** The rows of one Service's card: [pod, ip] in the page's order. */
async function rowsOf(page: Page, service: string): Promise<{ pod: string; ip: string; dns: string; out: boolean }[]> {
  return page.$$eval(`article.svc[data-service="${service}"] tbody tr`, (trs) =>
    trs.map((tr) => ({ pod: (tr as HTMLElement).dataset.pod ?? '', ip: tr.querySelector('td code')?.textContent ?? '', dns: tr.querySelector('td .dns')?.textContent ?? '', out: tr.classList.contains('out') })),
  );
}

describe.skipIf(!existsSync(CHROMIUM))('web view in chromium', () => {
  const lab = newLabDir();
  let srv: LiveServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    [srv, browser] = await Promise.all([startLiveServer(lab.manifests, lab.statePath, ['--pod-ready-delay', '300ms']), launch()]);
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(`${srv.adminUrl}/`);
    await page.waitForSelector('body[data-ready]');
    // The seed's StatefulSets come up one pod at a time (OrderedReady): wait for the last one.
    await page.waitForFunction(() => document.querySelectorAll('article.svc[data-service="myweb-svc-headless"] tbody tr:not(.out)').length === 9, undefined, { timeout: 15_000 });
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await srv?.stop();
    lab.cleanup();
    process.stderr.write(`web view screenshots: ${SHOTS}\n`);
  });

  it('shows the seed lab: services, cluster IPs, pod IPs and DNS names that dig answers the same', async () => {
    const services = await page.$$eval('article.svc', (as) => as.map((a) => (a as HTMLElement).dataset.service));
    expect(services).toEqual(['kubernetes', 'myweb-svc', 'myweb-svc-headless']);
    const vip = await page.textContent('article.svc[data-service="myweb-svc"] header code.ip');
    expect(await digShort(srv.port, 'myweb-svc.default.svc.cluster.local')).toEqual([vip]);
    const rows = await rowsOf(page, 'myweb-svc-headless');
    expect(rows.map((r) => r.pod).filter((p) => p.startsWith('myweb-sts-') && !p.includes('vol'))).toEqual(['myweb-sts-0', 'myweb-sts-1', 'myweb-sts-2']);
    // The headless answer is every ready pod's address, as listed in the card.
    expect(await digShort(srv.port, 'myweb-svc-headless.default.svc.cluster.local')).toEqual(rows.map((r) => r.ip).sort());
    for (const r of rows.filter((x) => x.dns)) expect(await digShort(srv.port, r.dns), r.dns).toEqual([r.ip]);
    expect(rows.find((r) => r.pod === 'myweb-sts-0')?.dns).toBe('myweb-sts-0.myweb-svc-headless.default.svc.cluster.local');
    // SRV names of named ports, and the claims of the StatefulSet with volumes.
    expect(await page.textContent('article.svc[data-service="kubernetes"]')).toContain('_https._tcp.kubernetes.default.svc.cluster.local');
    expect(await page.textContent('article.svc[data-service="myweb-svc-headless"] tr[data-pod="myweb-sts-vol-1"]')).toContain('myweb-pvc-myweb-sts-vol-1');
    await page.screenshot({ path: join(SHOTS, '1-seed-lab.png') });
  });

  it('shows a scale-up made through the API without reload, the new pods in order', async () => {
    const res = await fetch(`${srv.adminUrl}/apis/apps/v1/namespaces/default/statefulsets/myweb-sts/scale`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/merge-patch+json' },
      body: JSON.stringify({ spec: { replicas: 5 } }),
    });
    expect(res.status).toBe(200);
    await page.waitForSelector('article.svc[data-service="myweb-svc-headless"] tr[data-pod="myweb-sts-4"]:not(.out)', { timeout: 10_000 });
    const pods = (await rowsOf(page, 'myweb-svc-headless')).map((r) => r.pod).filter((p) => /^myweb-sts-\d$/.test(p));
    expect(pods).toEqual(['myweb-sts-0', 'myweb-sts-1', 'myweb-sts-2', 'myweb-sts-3', 'myweb-sts-4']);
    expect(await page.textContent('[data-workload="StatefulSet/myweb-sts"]')).toContain('5/5 ready');
    const ip3 = (await rowsOf(page, 'myweb-svc-headless')).find((r) => r.pod === 'myweb-sts-3')!.ip;
    expect(await digShort(srv.port, 'myweb-sts-3.myweb-svc-headless.default.svc.cluster.local')).toEqual([ip3]);
    await page.screenshot({ path: join(SHOTS, '2-scaled-up.png') });
  });

  it('scales down from the page with the workload buttons', async () => {
    await page.click('[data-workload="StatefulSet/myweb-sts"] button[aria-label="Scale myweb-sts down"]');
    await page.waitForSelector('tr[data-pod="myweb-sts-4"]', { state: 'detached', timeout: 10_000 });
    expect(await digShort(srv.port, 'myweb-sts-4.myweb-svc-headless.default.svc.cluster.local')).toEqual([]);
  });

  it('deletes a pod from the page: it comes back with a new IP and the headless answer follows', async () => {
    const before = (await rowsOf(page, 'myweb-svc-headless')).find((r) => r.pod === 'myweb-sts-1')!.ip;
    await page.click('article.svc[data-service="myweb-svc-headless"] tr[data-pod="myweb-sts-1"] button:text-is("Delete")');
    const after = await waitFor(async () => {
      const r = (await rowsOf(page, 'myweb-svc-headless')).find((x) => x.pod === 'myweb-sts-1');
      return r && r.ip !== before && !r.out ? r.ip : undefined;
    }, 10_000, 50);
    expect(after).toBeDefined();
    const answer = await digShort(srv.port, 'myweb-svc-headless.default.svc.cluster.local');
    expect(answer).toContain(after);
    expect(answer).not.toContain(before);
    expect(await digShort(srv.port, 'myweb-sts-1.myweb-svc-headless.default.svc.cluster.local')).toEqual([after]);
    await page.screenshot({ path: join(SHOTS, '3-pod-recreated.png') });
  });

  it('toggles readiness from the page: the pod is shown out of the answers, and dig agrees', async () => {
    const row = 'article.svc[data-service="myweb-svc-headless"] tr[data-pod="myweb-sts-2"]';
    const ip = (await rowsOf(page, 'myweb-svc-headless')).find((r) => r.pod === 'myweb-sts-2')!.ip;
    await page.click(`${row} button:text-is("Unready")`);
    await page.waitForSelector(`${row}.out`, { timeout: 10_000 });
    expect(await page.textContent(row)).toContain('left out of the answers');
    expect(await digShort(srv.port, 'myweb-svc-headless.default.svc.cluster.local')).not.toContain(ip);
    await page.screenshot({ path: join(SHOTS, '4-not-ready.png') });
    await page.click(`${row} button:text-is("Probe")`);
    await page.waitForSelector(`${row}:not(.out)`, { timeout: 10_000 });
    expect(await digShort(srv.port, 'myweb-svc-headless.default.svc.cluster.local')).toContain(ip);
  });

  it('explains a typo in the resolve box with a did-you-mean, and a click on a DNS name fills it', async () => {
    await page.fill('#resolve-name', 'myweb-sts-0.myweb-svc-headles');
    await page.press('#resolve-name', 'Enter');
    await page.waitForSelector('#resolve-result .didyoumean');
    expect(await page.textContent('#resolve-result .verdict')).toContain('no answer');
    expect(await page.textContent('#resolve-result .didyoumean')).toContain('myweb-sts-0.myweb-svc-headless');
    await page.screenshot({ path: join(SHOTS, '5-did-you-mean.png') });
    await page.click('#resolve-result .didyoumean button.dns >> nth=0');
    await page.waitForSelector('#resolve-result .verdict.good');
    expect(await page.textContent('#resolve-result')).toMatch(/myweb-sts-0\.myweb-svc-headless\.default\.svc\.cluster\.local\. 5 IN A /);
    await page.click('article.svc[data-service="kubernetes"] button.dns:text-is("_https._tcp.kubernetes.default.svc.cluster.local")');
    await page.waitForFunction(() => (document.getElementById('resolve-type') as HTMLSelectElement).value === 'SRV' && document.querySelector('#resolve-result .verdict.good'));
    expect(await page.inputValue('#resolve-name')).toBe('_https._tcp.kubernetes.default.svc.cluster.local');
  });

  it('streams the queries dig sends, pausable', async () => {
    await dig(['@127.0.0.1', '-p', String(srv.port), '+short', 'web-query-probe.default.svc.cluster.local']);
    await page.waitForSelector('#queries li:has-text("web-query-probe.default.svc.cluster.local.")', { timeout: 5_000 });
    expect(await page.textContent('#queries li:has-text("web-query-probe")')).toContain('NXDOMAIN');
    await page.click('#queries-pause');
    await dig(['@127.0.0.1', '-p', String(srv.port), '+short', 'paused-probe.default.svc.cluster.local']);
    await page.waitForSelector('#queries-note:has-text("1 not shown")', { timeout: 5_000 });
    expect(await page.$('#queries li:has-text("paused-probe")')).toBeNull();
    await page.click('#queries-pause');
    await page.screenshot({ path: join(SHOTS, '6-queries.png') });
    if (DOCS_SHOT) await page.screenshot({ path: join(REPO_ROOT, 'docs', 'web-view.png') });
  });

  it('filters Services and pods, and reads on a phone', async () => {
    await page.fill('#filter', 'headless');
    await page.waitForFunction(() => document.querySelectorAll('article.svc').length === 1);
    await page.fill('#filter', '');
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true });
    await phone.goto(`${srv.adminUrl}/`);
    await phone.waitForSelector('body[data-ready]');
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await phone.screenshot({ path: join(SHOTS, '7-phone.png') });
    await phone.close();
    expect(errors).toEqual([]);
  });
});

describe.skipIf(!existsSync(CHROMIUM))('web view with an admin token', () => {
  const lab = newLabDir();
  const token = 'web-view-test-token-0123';
  let srv: LiveServer;
  let browser: Browser;

  beforeAll(async () => {
    [srv, browser] = await Promise.all([startLiveServer(lab.manifests, lab.statePath, ['--admin-token', token]), launch()]);
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await srv?.stop();
    lab.cleanup();
  });

  it('reads without the token, asks for it before a change and sends it as a bearer token', async () => {
    const page = await browser.newPage();
    await page.goto(`${srv.adminUrl}/`);
    await page.waitForSelector('article.svc[data-service="myweb-svc-headless"] tr[data-pod="myweb-sts-0"]');
    const before = (await rowsOf(page, 'myweb-svc-headless')).find((r) => r.pod === 'myweb-sts-0')!.ip;
    await page.click('article.svc[data-service="myweb-svc-headless"] tr[data-pod="myweb-sts-0"] button:text-is("Delete")');
    await page.waitForSelector('#token-dialog[open]');
    await page.fill('#token-input', token);
    await page.click('#token-ok');
    const after = await waitFor(async () => {
      const r = (await rowsOf(page, 'myweb-svc-headless')).find((x) => x.pod === 'myweb-sts-0');
      return r && r.ip !== before ? r.ip : undefined;
    }, 10_000, 50);
    expect(after).toBeDefined();
    expect(await digShort(srv.port, 'myweb-sts-0.myweb-svc-headless.default.svc.cluster.local')).toEqual([after]);
  });

  it('is refused under a foreign Host name (DNS rebinding), as the admin API is', async () => {
    // fetch() sets Host itself: ask with node:http, as a rebinding page's browser would send it.
    const status = await new Promise<number | undefined>((resolve, reject) => {
      http.get(`${srv.adminUrl}/`, { headers: { host: 'evil.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      }).on('error', reject);
    });
    expect(status).toBe(403);
    const page = await fetch(`${srv.adminUrl}/`);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
  });
});
