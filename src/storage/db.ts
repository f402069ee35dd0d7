/** The SQL port lives in kernel/ so that capability stores can name it without importing storage/. */
export * from '../kernel/sql.ts';
