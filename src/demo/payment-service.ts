// Payments: validates the amount and approves. No real provider, so nothing to leak or to wait on.
import { randomUUID } from 'node:crypto';
import { HttpError, readJsonObject, requireMethod, sendJson, toNumber, type Handler } from './http-json.js';

export function createPaymentService(): Handler {
  return async (req, res, path) => {
    if (path !== '/api/payments') return sendJson(res, 404, { error: 'not found' });
    requireMethod(req, 'POST');
    const body = await readJsonObject(req);
    const amount = toNumber(body.amount);
    if (amount === null || amount <= 0) throw new HttpError(400, 'amount is required (a number > 0)');
    const currency = body.currency ?? 'EUR';
    if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) {
      throw new HttpError(400, 'currency must be a 3-letter code like EUR');
    }
    sendJson(res, 201, { paymentId: randomUUID(), status: 'approved', amount, currency });
  };
}
