import { Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { RackForwarder } from './http/rack-forwarder.service';
import type { ProxiedRequest } from './rack-proxy-request';

/**
 * What happens to a request that every guard let through. Probes (the CLI's `GET /racks|/machines` before
 * each websocket) are answered here, as a rack would, without a round trip; everything else is forwarded.
 */
@Injectable()
export class RackProxyService {
  constructor(private readonly forwarder: RackForwarder) {}

  async handle(req: ProxiedRequest, res: Response): Promise<void> {
    if (req.convoxRoute?.route.kind === 'probe') {
      res.status(404).json({ error: 'not found' });
      return;
    }
    await this.forwarder.forward(req, res);
  }
}
