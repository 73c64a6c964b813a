/** The PostgreSQL schema pg-boss keeps its tables in, beside the gateway's own tables in `public`. */
export const JOBS_SCHEMA = 'jobs';

/** Injection token: the URL of the gateway's database, which the job queue connects to with its own pool. */
export const JOBS_DATABASE_URL = Symbol('JOBS_DATABASE_URL');
