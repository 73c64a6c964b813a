import { Controller, Get, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AppModule } from '../../src/app.module';
import { Authenticated } from '../../src/access-control/authenticated.decorator';
import { Public } from '../../src/access-control/public.decorator';
import { isRackProxyPath } from '../../src/access-control/rack-proxy-path';
import { loadConfig } from '../../src/config/load-config';
import { throwawayGatewayEnv } from '../../src/dev/throwaway-gateway-env';
import { PathScopedWsAdapter } from '../../src/live-updates/path-scoped-ws.adapter';
import { freePort } from '../harness/free-port';
import { createTestDatabase } from '../harness/test-database';

// A controller someone forgot to declare access on: one route says nothing about who may call it.
@Controller('api/v1/forgotten')
class ForgottenController {
  @Public()
  @Get('open')
  open() {
    return { ok: true };
  }

  @Get('things')
  listThings() {
    return [];
  }
}

// The same routes, declared: one public, the other for any principal through its class.
@Authenticated()
@Controller('api/v1/declared')
class DeclaredController {
  @Public()
  @Get('open')
  open() {
    return { ok: true };
  }

  @Get('things')
  listThings() {
    return [];
  }
}

/** The gateway with one extra controller, booted the way the gateway boots. */
async function bootWith(controller: new () => object): Promise<INestApplication> {
  const databaseUrl = await createTestDatabase();
  const config = loadConfig(throwawayGatewayEnv(await freePort(), databaseUrl));
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.forRoot(config, databaseUrl)],
    controllers: [controller],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  // As the gateway's factory does: without a websocket adapter Nest would look for socket.io and exit.
  app.useWebSocketAdapter(new PathScopedWsAdapter(app, isRackProxyPath));
  return app;
}

/** Closed by default, at boot: a route that declares no access rule keeps the gateway from starting. */
describe('boot-time check for routes without an access declaration', () => {
  it('refuses to boot with a route that declares nothing, and names it', async () => {
    const app = await bootWith(ForgottenController);
    try {
      await expect(app.init()).rejects.toThrow(
        /routes without an access declaration .*: ForgottenController\.listThings$/,
      );
    } finally {
      await app.close().catch(() => undefined);
    }
  });

  it('boots when every route declares its access (on the route or its class), and enforces it', async () => {
    const app = await bootWith(DeclaredController);
    try {
      await app.listen(0, '127.0.0.1');
      const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
      expect((await fetch(`${url}/api/v1/declared/open`)).status).toBe(200);
      expect((await fetch(`${url}/api/v1/declared/things`)).status).toBe(401);
    } finally {
      await app.close();
    }
  });
});
