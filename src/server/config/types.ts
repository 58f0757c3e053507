/** The one validated configuration value. Produced by config/load.ts from flags, env and an optional config file. */
export interface Config {
  /** null = start the embedded PostgreSQL */
  readonly databaseUrl: string | null;
  /** data folder of the embedded PostgreSQL (default ./.pglive) */
  readonly dataDir: string;
  readonly port: number;
  readonly host: string;
  /** exposed schemas, first = default */
  readonly schemas: readonly string[];
  /** role for requests without credentials; null = anonymous access off (401) */
  readonly anonRole: string | null;
  /** HS256 secret for Bearer JWTs; null = JWTs refused */
  readonly jwtSecret: string | null;
  readonly adminEmail: string | null;
  readonly adminPassword: string | null;
  /** Origins allowed for cookie-authenticated writes and websockets, in addition to the server's own origin */
  readonly allowedOrigins: readonly string[];
  /** request body limit in bytes (413 above) */
  readonly bodyLimit: number;
  /** statement_timeout for every request statement, ms */
  readonly statementTimeoutMs: number;
  /** session idle expiry, ms */
  readonly sessionIdleMs: number;
  /** session absolute expiry, ms */
  readonly sessionAbsoluteMs: number;
  /** max rows a read may return when no limit is given (null = unlimited) */
  readonly maxRows: number | null;
  /** pool size */
  readonly poolSize: number;
  /** load the demo schema into an empty embedded database */
  readonly demo: boolean;
  /** install / sync the change-capture triggers at start and after schema changes */
  readonly liveTriggers: boolean;
  /** 'info' | 'warn' | 'error' | 'debug' | 'silent' */
  readonly logLevel: string;
}
