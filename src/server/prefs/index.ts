/** Column preferences (three layers), saved views and their live notices. */
export { registerPrefs, visibleRelation, type PrefsDeps } from './routes.js';
export { parsePrefsNotice, prefsNoticePayload, type PrefsNotice } from './notify.js';
