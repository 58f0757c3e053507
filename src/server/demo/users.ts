/**
 * The demo's pglive users and the database roles they map to. The passwords
 * are public on purpose (docs/demo.md): the demo runs on a throw-away
 * embedded database.
 */
export interface DemoUser {
  email: string;
  password: string;
  displayName: string;
  /** the PostgreSQL role the user's requests run as */
  role: string;
  description: string;
}

export const DEMO_ROLES = {
  manager: 'pglive_demo_manager',
  eu: 'pglive_demo_eu',
  us: 'pglive_demo_us',
} as const;

export const DEMO_USERS: readonly DemoUser[] = Object.freeze([
  {
    email: 'manager@acme.test',
    password: 'acme-manager',
    displayName: 'Margaret (Manager)',
    role: DEMO_ROLES.manager,
    description: 'Sales manager: sees every region, salaries and monthly sales; can edit and delete everything.',
  },
  {
    email: 'eu@acme.test',
    password: 'acme-eu-sales',
    displayName: 'Elena (EU sales)',
    role: DEMO_ROLES.eu,
    description: 'EU sales team: sees and edits only European customers and orders; no salaries, no deletes.',
  },
  {
    email: 'us@acme.test',
    password: 'acme-us-sales',
    displayName: 'Samuel (US sales)',
    role: DEMO_ROLES.us,
    description: 'US sales team: sees and edits only US customers and orders; no salaries, no deletes.',
  },
].map((u) => Object.freeze(u)));
