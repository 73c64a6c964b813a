/** Where the Convox rack API is exposed; `RACK_URL=https://convox:<token>@gateway/api/v1/rack-proxy`. */
export const PROXY_PREFIX = '/api/v1/rack-proxy';
