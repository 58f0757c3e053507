import { describe, expect, it } from 'vitest';
import { assertSameOrigin, checkOrigin, isUnsafeMethod, requestOrigin } from './csrf.js';

const req = (headers: Record<string, string>) => ({ headers });
const allowed = ['https://admin.example.com', 'http://localhost:5173'];

describe('checkOrigin', () => {
  it.each([
    ['http://pglive.test', 'pglive.test', true],
    ['https://pglive.test', 'pglive.test', true],
    ['https://pglive.test', 'pglive.test:443', true], // default port in Host
    ['http://pglive.test:8080', 'pglive.test:8080', true],
    ['http://pglive.test:8081', 'pglive.test:8080', false],
    ['http://PGLIVE.test', 'pglive.test', true],
    ['https://evil.example', 'pglive.test', false],
    ['https://pglive.test.evil.example', 'pglive.test', false],
    ['https://admin.example.com', 'pglive.test', true], // allowed list
    ['https://admin.example.com:444', 'pglive.test', false],
    ['http://localhost:5173', 'pglive.test', true],
    ['null', 'pglive.test', false],
    ['file:///etc/passwd', 'pglive.test', false],
    ['', 'pglive.test', false],
  ])('%s with Host %s → %s', (origin, host, expected) => {
    expect(checkOrigin(origin, req({ host }), allowed)).toBe(expected);
  });

  it('is false without a Host header unless the origin is allowed', () => {
    expect(checkOrigin('http://pglive.test', req({}), allowed)).toBe(false);
    expect(checkOrigin('https://admin.example.com', req({}), allowed)).toBe(true);
  });
});

describe('requestOrigin', () => {
  it('prefers Origin, falls back to the origin of Referer', () => {
    expect(requestOrigin(req({ origin: 'https://a.example', referer: 'https://b.example/x' }))).toBe('https://a.example');
    expect(requestOrigin(req({ referer: 'https://b.example/path?q=1' }))).toBe('https://b.example');
    expect(requestOrigin(req({ referer: 'garbage' }))).toBeNull();
    expect(requestOrigin(req({}))).toBeNull();
  });
});

describe('assertSameOrigin', () => {
  it('throws PGLIVE205 for a missing or foreign origin', () => {
    expect(() => assertSameOrigin(req({ host: 'pglive.test' }), [])).toThrow(expect.objectContaining({ code: 'PGLIVE205' }));
    expect(() => assertSameOrigin(req({ host: 'pglive.test', origin: 'https://evil.example' }), [])).toThrow(/evil/);
    expect(() => assertSameOrigin(req({ host: 'pglive.test', origin: 'http://pglive.test' }), [])).not.toThrow();
  });
});

it('unsafe methods are the writing ones', () => {
  expect(['POST', 'put', 'PATCH', 'DELETE'].every(isUnsafeMethod)).toBe(true);
  expect(['GET', 'HEAD', 'OPTIONS'].some(isUnsafeMethod)).toBe(false);
});
