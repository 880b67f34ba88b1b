/**
 * Simulator-only endpoints: the SNS SubscribeURL and fault injection. They live under `/__` so
 * they can never clash with Amazon's paths.
 */
import express, { type Router } from 'express';
import type { SimulatorContext } from './context';
import { addFaults, faultsRequestSchema } from './faults';
import { escapeXml } from './s3Errors';

export function adminRoutes(ctx: SimulatorContext): Router {
  const router = express.Router();

  // Visiting the SubscribeURL confirms the subscription; SNS answers with an XML document.
  router.get('/__sns/confirm', (req, res) => {
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    if (!ctx.publisher?.confirm(token)) {
      res
        .status(400)
        .type('application/xml')
        .send(
          '<ErrorResponse><Error><Type>Sender</Type><Code>InvalidParameter</Code>' +
            '<Message>Invalid token</Message></Error></ErrorResponse>',
        );
      return;
    }
    const subscriptionArn = `${ctx.publisher.topicArn}:${token.slice(0, 36)}`;
    res
      .status(200)
      .type('application/xml')
      .send(
        `<ConfirmSubscriptionResponse><ConfirmSubscriptionResult><SubscriptionArn>${escapeXml(subscriptionArn)}</SubscriptionArn>` +
          '</ConfirmSubscriptionResult></ConfirmSubscriptionResponse>',
      );
  });

  router.post('/__sim/faults', express.json(), (req, res) => {
    const parsed = faultsRequestSchema.safeParse(req.body);
    if (!parsed.success) {
      res
        .status(400)
        .json({ message: `invalid faults: ${parsed.error.issues.map((issue) => issue.message).join('; ')}` });
      return;
    }
    addFaults(ctx.faults, parsed.data);
    res.status(204).end();
  });

  return router;
}
