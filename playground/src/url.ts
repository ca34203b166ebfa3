import { EspError, ESP_ERR_INVALID_ARG } from '../../core/errors.js';
import { experimentSchema, type Experiment } from './experiment.js';

/** base64url of UTF-8 text, without padding (RFC 4648 section 5), with no Node Buffer: it runs in the page. */
function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(s: string): string {
  if (!/^[A-Za-z0-9_-]*$/.test(s))
    throw new EspError(ESP_ERR_INVALID_ARG, 'the experiment in the URL is not base64url text');
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4));
  return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}

/** The URL fragment (without '#') that carries `x`: `x=` then base64url JSON. */
export function encodeExperiment(x: Experiment): string {
  return `x=${toBase64Url(JSON.stringify(x))}`;
}

/** The experiment a URL fragment carries, checked; EspError ESP_ERR_INVALID_ARG saying what is wrong otherwise. */
export function decodeExperiment(fragment: string): Experiment {
  const m = /^#?x=(.*)$/.exec(fragment);
  if (!m) throw new EspError(ESP_ERR_INVALID_ARG, 'the URL fragment carries no experiment (#x=...)');
  let json: unknown;
  try {
    json = JSON.parse(fromBase64Url(m[1]!));
  } catch (e) {
    throw e instanceof EspError
      ? e
      : new EspError(ESP_ERR_INVALID_ARG, `the experiment in the URL is not JSON: ${(e as Error).message}`);
  }
  const r = experimentSchema.safeParse(json);
  if (!r.success) {
    const issues = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new EspError(ESP_ERR_INVALID_ARG, `the experiment in the URL is invalid: ${issues}`);
  }
  return r.data as Experiment;
}
