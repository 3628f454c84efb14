import { simpleParser } from 'mailparser';
import { type SMTPServer as SMTPServerType, SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
}

/** A real SMTP listener on loopback that keeps what it receives; `failNext` makes it refuse mail. */
export async function startSmtp(): Promise<{ url: string; port: number; mails: ReceivedMail[]; failNext: (n: number) => void; stop: () => Promise<void> }> {
  const mails: ReceivedMail[] = [];
  let failures = 0;
  const server: SMTPServerType = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.setEncoding('utf8');
      stream.on('data', (d: string) => (raw += d));
      stream.on('end', () => {
        if (failures > 0) {
          failures--;
          const err = new Error('451 try again later') as Error & { responseCode: number };
          err.responseCode = 451;
          return callback(err);
        }
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as { port: number }).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    mails,
    failNext: (n) => {
      failures = n;
    },
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** Reads a received message as a mail client would (mailparser): subject and text body. */
export async function readMail(raw: string): Promise<{ subject: string; text: string; from: string }> {
  const m = await simpleParser(raw);
  return { subject: m.subject ?? '', text: m.text ?? '', from: m.from?.text ?? '' };
}
