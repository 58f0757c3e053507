/** Record pages: view / edit one row (live, conflict-safe), and create a row. */
export { RecordPage, type RecordPageProps } from './RecordPage.js';
export { NewRecordPage } from './NewRecordPage.js';
export { ReverseRelations } from './ReverseRelations.js';
