import nodemailer from 'nodemailer';
import type { EmailTransport } from '../../notifications/ports.ts';
import { PermanentDeliveryError } from '../../notifications/ports.ts';

/** Real SMTP through nodemailer. `smtp://user:pass@host:port` or `smtps://…`. */
export function smtpTransport(url: string): EmailTransport {
  const transporter = nodemailer.createTransport(url);
  return {
    async send(m) {
      try {
        await transporter.sendMail({
          from: m.from,
          to: m.to,
          subject: m.subject,
          text: m.text,
          html: m.html,
          messageId: m.messageId,
          headers: { ...m.headers, 'X-Mamori-Reference': m.reference, 'Auto-Submitted': 'auto-generated' },
        });
      } catch (e) {
        const code = (e as { responseCode?: number }).responseCode;
        if (code && code >= 500 && code < 600) throw new PermanentDeliveryError(`SMTP ${code}`);
        throw e;
      }
    },
    async close() {
      transporter.close();
    },
  };
}
