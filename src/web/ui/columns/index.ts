/** Column settings: the per-column menu, the settings panel, and how values are drawn. */
export { ColumnMenu, type ColumnMenuProps } from './ColumnMenu.js';
export { ColumnSettingsPanel, type ColumnSettingsPanelProps } from './ColumnSettingsPanel.js';
export { FormatEditor, type FormatEditorProps } from './FormatEditor.js';
export { FormattedValue } from './FormattedValue.js';
export { useMinuteClock } from './useMinuteClock.js';
