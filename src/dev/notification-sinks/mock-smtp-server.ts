import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { DevInbox } from './dev-inbox';

export interface MockSmtpServer {
  port: number;
  close(): Promise<void>;
}

const MAX_MESSAGE_BYTES = 1024 * 1024;

/**
 * A development SMTP server on loopback: accepts every message without login or TLS, parses it and puts
 * it in the inbox. Never relays anything anywhere.
 */
export async function startMockSmtpServer(inbox: DevInbox, port = 0): Promise<MockSmtpServer> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    size: MAX_MESSAGE_BYTES,
    logger: false,
    banner: 'rack-gateway development mail sink',
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          const to = (Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : []).flatMap((a) =>
            a.value.map((v) => v.address ?? ''),
          );
          const content = {
            from: mail.from?.text ?? '',
            to,
            subject: mail.subject ?? '',
            text: mail.text ?? '',
          };
          inbox.add({ channel: 'email', summary: `to ${to.join(', ')}: ${content.subject}`, content });
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  return {
    port: typeof address === 'object' && address ? address.port : port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
