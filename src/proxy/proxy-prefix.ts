/** Where the Convox rack API is exposed; defined once in rbac, where paths are matched. */
export { RACK_PROXY_PREFIX as PROXY_PREFIX } from '../rbac/rack-proxy-prefix';
