/** Value formats shared by the environment variable classes. */
export const EMAIL_LIST = /^[\s,]*([^\s,@]+@[^\s,@]+[\s,]*)*$/;
export const HTTP_URL = /^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/;
export const toBoolean = ({ value }: { value: unknown }) =>
  value === undefined || value === ''
    ? undefined
    : ['1', 'true', 'yes', 'on'].includes(String(value).toLowerCase());
