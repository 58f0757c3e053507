import { describe, expect, it } from 'vitest';
import { parsePrefsNotice, prefsNoticePayload } from './notify.js';

describe('prefs notices', () => {
  it('round-trips awkward identifiers', () => {
    const n = { schema: 'my.schema', relation: 'Order Items "x"' };
    expect(parsePrefsNotice(prefsNoticePayload(n))).toEqual(n);
  });
  it('ignores other control payloads and garbage', () => {
    expect(parsePrefsNotice('reload schema')).toBeNull();
    expect(parsePrefsNotice('prefs not json')).toBeNull();
    expect(parsePrefsNotice('prefs {"schema":1,"relation":"x"}')).toBeNull();
    expect(parsePrefsNotice('prefs null')).toBeNull();
  });
});
