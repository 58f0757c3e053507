/** Inputs per PostgreSQL type, for record pages and forms. */
export { FieldInput, LOCAL_ZONE, type FieldInputProps } from './FieldInput.js';
export { FkPicker, type FkPickerProps } from './FkPicker.js';
export { ArrayInput, type ArrayInputProps } from './ArrayInput.js';
