import { useSyncExternalStore } from 'react';

/** What a refused request still owes, from the gateway's `X-MFA-Required` header. */
export type MfaRequirement = 'login' | 'step_up' | 'always';

/**
 * The person's answer: they verified this session (login, step-up), gave a code or made a passkey proof
 * to send with the retried request itself (`always`: the server wants it on that very request), or
 * cancelled (`null`).
 */
export type MfaAnswer = { verified: true } | MfaCredential | null;

/** What an `always` action carries: a code (X-MFA-Code) or a single-use passkey proof (X-MFA-Proof). */
export type MfaCredential = { code: string } | { proof: string };

export interface MfaPrompt {
  id: number;
  requirement: MfaRequirement;
  /** The previous code's refusal, when asking again. */
  error?: string;
  answer(answer: MfaAnswer): void;
}

// One prompt at a time; requests that are refused meanwhile wait their turn.
const queue: MfaPrompt[] = [];
const listeners = new Set<() => void>();
const notify = () => listeners.forEach((listener) => listener());
let asked = 0;

/** Opens the MFA dialog (mounted once in the shell) and waits for the person. */
export function askForMfa(requirement: MfaRequirement, error?: string): Promise<MfaAnswer> {
  return new Promise((resolve) => {
    asked += 1;
    const prompt: MfaPrompt = {
      id: asked,
      requirement,
      error,
      answer: (answer) => {
        queue.splice(queue.indexOf(prompt), 1);
        notify();
        resolve(answer);
      },
    };
    queue.push(prompt);
    notify();
  });
}

export function useMfaPrompt(): MfaPrompt | undefined {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => queue[0],
  );
}
