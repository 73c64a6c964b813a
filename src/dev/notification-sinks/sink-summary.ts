import { type Notice, noticeTitle } from '../../notifications/notice';

/** The title of a signed-webhook body, for the console line; anything unexpected is said to be so. */
export function noticeTitleOf(body: unknown): string {
  const data = (body as { data?: Notice } | null)?.data;
  if (!data || (data.kind !== 'approval' && data.kind !== 'account_locked'))
    return '(not a rack-gateway notice)';
  try {
    return noticeTitle(data);
  } catch {
    return '(malformed notice)';
  }
}
