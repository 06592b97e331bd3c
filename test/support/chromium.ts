/**
 * Debian's Chromium, headless, as a real browser for the project's pages: loads a page from 127.0.0.1, lets its
 * scripts run (virtual time), and returns the DOM they rendered. No network beyond loopback: background
 * networking, component updates and sync are off, and every run has a new empty profile.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

export async function renderedDom(url: string, opts: { virtualTimeMs?: number } = {}): Promise<string> {
  if (!/^http:\/\/127\.0\.0\.1[:/]/.test(url)) throw new Error(`renderedDom only loads pages from 127.0.0.1, not ${url}`);
  const profile = await mkdtemp(path.join(tmpdir(), 'chromium-'));
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    `--user-data-dir=${profile}`,
    `--virtual-time-budget=${opts.virtualTimeMs ?? 3000}`,
    '--dump-dom',
    url,
  ];
  try {
    return await new Promise<string>((resolve, reject) => {
      execFile('chromium', args, { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
        if (err) reject(new Error(`chromium failed: ${err.message}\n${stderr.slice(-2000)}`));
        else resolve(stdout);
      });
    });
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}
