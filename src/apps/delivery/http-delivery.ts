import type { Deps } from '../../deps.ts';
import { type HttpDelivery, PermanentDeliveryError } from '../../notifications/ports.ts';
import type { ProviderSigner } from '../model.ts';

/** Sends webhooks, Security Event Tokens and back-channel logout tokens (filled in by the delivery part). */
export function appsHttpDelivery(
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'cipher' | 'log'>,
  _signer: ProviderSigner,
): HttpDelivery {
  return {
    timeoutMs: deps.config.apps.deliveryTimeoutSeconds * 1000,
    async send() {
      throw new PermanentDeliveryError('application deliveries are not built yet');
    },
  };
}
