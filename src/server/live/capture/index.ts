/** Change capture in PostgreSQL: what the live engine's listener and start-up use. */
export { installCapture, removeCapture, captureTargets, NO_EVENT_TRIGGER_PRIVILEGE } from './install.js';
export type { CaptureReport, CaptureOptions } from './install.js';
export { decodeChange } from './decode.js';
export type { ChangeEvent, ChangeOp } from './decode.js';
export { catalogFingerprint } from './fingerprint.js';
export { CHANGES_CHANNEL, CONTROL_CHANNEL, RELOAD_PAYLOAD, MAX_KEYS, MAX_PAYLOAD_BYTES } from './sql.js';
