// Opens learnlog's HTML report in headless Chromium and checks it as a
// reader's browser sees it: no console error, no request beyond the file
// itself, nothing wider than a 390 px screen, no WCAG 2.1 A/AA violation
// (axe-core), in light and dark. Saves screenshots at 1280 and 390 px.
//
// usage: node check.js PAGE.html ARTIFACTS_DIR
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { pathToFileURL } = require('url');
const { chromium } = require('playwright-core');

const CHROMIUM = process.env.LEARNLOG_CHROMIUM || '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

async function main() {
  const [pagePath, artifacts] = process.argv.slice(2);
  if (!pagePath || !artifacts) {
    throw new Error('usage: node check.js PAGE.html ARTIFACTS_DIR');
  }
  const url = pathToFileURL(path.resolve(pagePath)).href;
  fs.mkdirSync(artifacts, { recursive: true });
  const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'learnlog-chromium-'));
  const failures = [];
  let checks = 0;
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1280, height: 900 },
  });
  try {
    for (const width of [1280, 390]) {
      for (const scheme of ['light', 'dark']) {
        const where = `${width}px ${scheme}`;
        const page = await context.newPage();
        const errors = [];
        const requests = [];
        page.on('console', (msg) => {
          if (msg.type() === 'error') errors.push(msg.text());
        });
        page.on('pageerror', (err) => errors.push(String(err)));
        page.on('request', (req) => {
          if (req.url() !== url) requests.push(req.url());
        });
        await page.setViewportSize({ width, height: 900 });
        await page.emulateMedia({ colorScheme: scheme });
        await page.goto(url, { waitUntil: 'load' });

        checks += 1;
        if (errors.length) failures.push(`${where}: console errors: ${errors.join(' | ')}`);
        checks += 1;
        if (requests.length) failures.push(`${where}: requests beyond the file: ${requests.join(', ')}`);

        const { scrollWidth, innerWidth, svgs } = await page.evaluate(() => ({
          scrollWidth: document.documentElement.scrollWidth,
          innerWidth: window.innerWidth,
          svgs: document.querySelectorAll('svg').length,
        }));
        checks += 1;
        if (scrollWidth > innerWidth) {
          failures.push(`${where}: the page overflows (scrollWidth ${scrollWidth} > ${innerWidth})`);
        }
        checks += 1;
        if (svgs === 0) failures.push(`${where}: no chart on the page`);

        // Evaluated through the debugging protocol, which the page's CSP
        // (rightly) does not let a <script> do.
        await page.evaluate(axeSource);
        const result = await page.evaluate(
          (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
          WCAG,
        );
        checks += 1;
        for (const v of result.violations) {
          const nodes = v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${n.failureSummary}`).join('\n    ');
          failures.push(`${where}: axe ${v.id} (${v.impact}): ${v.help}\n    ${nodes}`);
        }

        await page.screenshot({ path: path.join(artifacts, `report-${width}-${scheme}.png`), fullPage: true });
        await page.close();
      }
    }
    // Printed (A4 width): every table whole, nothing cut off or scrolled away.
    {
      const page = await context.newPage();
      await page.setViewportSize({ width: 794, height: 1123 });
      await page.emulateMedia({ media: 'print', colorScheme: 'light' });
      await page.goto(url, { waitUntil: 'load' });
      const clipped = await page.evaluate(() =>
        [...document.querySelectorAll('.box')]
          .filter((b) => b.scrollHeight > b.clientHeight + 1 || b.scrollWidth > b.clientWidth + 1)
          .map((b) => b.getAttribute('aria-label')),
      );
      checks += 1;
      if (clipped.length) failures.push(`print: tables cut off: ${clipped.join(', ')}`);
      await page.pdf({ path: path.join(artifacts, 'report.pdf'), format: 'A4', printBackground: true });
      await page.close();
    }
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  if (failures.length) {
    console.error(failures.join('\n'));
    console.log(`${checks - failures.length} passed, ${failures.length} failed`);
    process.exit(1);
  }
  console.log(`browser: ${checks} passed, 0 failed`);
}

main().catch((err) => {
  console.error(err && err.stack ? err.stack : String(err));
  process.exit(1);
});
