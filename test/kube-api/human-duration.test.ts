import { describe, expect, it } from 'vitest';
import { toAge, toHumanDuration } from '../../src/kube-api/table/human-duration.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const Y = 365 * D;

// Cases from k8s.io/apimachinery/pkg/util/duration/duration_test.go (TestHumanDuration, TestHumanDurationBoundaries).
const cases = [
  { name: '1s', ms: S, want: '1s' },
  { name: '70s', ms: 70 * S, want: '70s' },
  { name: '190s', ms: 190 * S, want: '3m10s' },
  { name: '70m', ms: 70 * M, want: '70m' },
  { name: '47h', ms: 47 * H, want: '47h' },
  { name: '49h', ms: 49 * H, want: '2d1h' },
  { name: '8d2h', ms: 8 * D + 2 * H, want: '8d' },
  { name: '367d', ms: 367 * D, want: '367d' },
  { name: '2y25h', ms: 2 * Y + 25 * H, want: '2y1d' },
  { name: '8y2h', ms: 8 * Y + 2 * H, want: '8y' },
  { name: '-2s is invalid', ms: -2 * S, want: '<invalid>' },
  { name: 'just above -2s is 0s', ms: -2 * S + 1, want: '0s' },
  { name: 'zero', ms: 0, want: '0s' },
  { name: 'under a second', ms: S - 1, want: '0s' },
  { name: 'just under 2m', ms: 2 * M - 1, want: '119s' },
  { name: '2m', ms: 2 * M, want: '2m' },
  { name: '2m1s', ms: 2 * M + S, want: '2m1s' },
  { name: 'just under 10m', ms: 10 * M - 1, want: '9m59s' },
  { name: '10m', ms: 10 * M, want: '10m' },
  { name: '10m1s', ms: 10 * M + S, want: '10m' },
  { name: 'just under 3h', ms: 3 * H - 1, want: '179m' },
  { name: '3h', ms: 3 * H, want: '3h' },
  { name: '3h1m', ms: 3 * H + M, want: '3h1m' },
  { name: '3h5m', ms: 3 * H + 5 * M, want: '3h5m' },
  { name: 'just under 8h', ms: 8 * H - 1, want: '7h59m' },
  { name: '8h', ms: 8 * H, want: '8h' },
  { name: '8h59m', ms: 8 * H + 59 * M, want: '8h' },
  { name: 'just under 2d', ms: 2 * D - 1, want: '47h' },
  { name: '2d', ms: 2 * D, want: '2d' },
  { name: '2d1h', ms: 2 * D + H, want: '2d1h' },
  { name: '2d3h', ms: 2 * D + 3 * H, want: '2d3h' },
  { name: 'just under 8d', ms: 8 * D - 1, want: '7d23h' },
  { name: '8d', ms: 8 * D, want: '8d' },
  { name: '8d23h', ms: 8 * D + 23 * H, want: '8d' },
  { name: 'just under 2y', ms: 2 * Y - 1, want: '729d' },
  { name: '2y', ms: 2 * Y, want: '2y' },
  { name: '2y23h59m', ms: 2 * Y + 23 * H + 59 * M, want: '2y' },
  { name: 'just under 2y1d', ms: 2 * Y + D - 1, want: '2y' },
  { name: '2y1d', ms: 2 * Y + D, want: '2y1d' },
  { name: '3y', ms: 3 * Y, want: '3y' },
  { name: '3y45d', ms: 3 * Y + 45 * D, want: '3y45d' },
  { name: '7y', ms: 7 * Y, want: '7y' },
  { name: 'just under 8y', ms: 8 * Y - 1, want: '7y364d' },
  { name: '8y', ms: 8 * Y, want: '8y' },
  { name: '8y364d', ms: 8 * Y + 364 * D, want: '8y' },
  { name: '9y', ms: 9 * Y, want: '9y' },
];

describe('toHumanDuration (duration.HumanDuration)', () => {
  it.each(cases)('$name', ({ ms, want }) => expect(toHumanDuration(ms)).toBe(want));
});

describe('toAge (translateTimestampSince)', () => {
  const now = Date.parse('2024-05-01T12:00:00Z');
  it.each([
    { name: 'unset', ts: undefined, want: '<unknown>' },
    { name: 'garbage', ts: 'yesterday', want: '<unknown>' },
    { name: 'five seconds', ts: '2024-05-01T11:59:55Z', want: '5s' },
    { name: 'two minutes three seconds', ts: '2024-05-01T11:57:57Z', want: '2m3s' },
    { name: 'future beyond skew', ts: '2024-05-01T12:00:05Z', want: '<invalid>' },
  ])('$name', ({ ts, want }) => expect(toAge(ts, now)).toBe(want));
});
