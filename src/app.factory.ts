import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import type { DestinationStream } from 'pino';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { AppConfig } from './config/app-config';
import { HttpMetrics, routeClassOf } from './health/http-metrics';
import { installGracefulShutdown } from './lifecycle/graceful-shutdown';
import { isRackProxyPath } from './access-control/rack-proxy-path';
import { routeRackProxyFirst, type RouterLayer } from './proxy/http/rack-proxy-route-first';
import { PathScopedWsAdapter } from './live-updates/path-scoped-ws.adapter';
import { adminBodyParser } from './request-body/admin-body-parser';
import { SESSION_COOKIE } from './access-control/credential-parser';
import { findWebUiDist } from './web-ui/web-ui-files';
import { consoleRedirects, WEB_UI_PREFIX, webUiHandler } from './web-ui/web-ui.middleware';

export interface GatewayAppOptions {
  /** Where log lines go instead of stdout (tests read back what the gateway logged). */
  logDestination?: DestinationStream;
}

/**
 * Builds the gateway application (not yet listening). Body parsing is global off and re-enabled only
 * outside the rack proxy: proxied bodies (multi-GB source tarballs) are piped, never parsed or buffered.
 */
export async function createGatewayApp(
  config: AppConfig,
  databaseUrl: string,
  options: GatewayAppOptions = {},
): Promise<NestExpressApplication> {
  const module = AppModule.forRoot(config, databaseUrl, options.logDestination);
  const app = await NestFactory.create<NestExpressApplication>(module, {
    bodyParser: false,
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  app.set('trust proxy', config.http.trustProxyHops);
  app.disable('x-powered-by');
  // Paths are matched exactly as sent: `/API/V1/RACK-PROXY` must not reach the proxy routes by case folding.
  app.set('case sensitive routing', true);
  app.set('strict routing', true);

  const metrics = app.get(HttpMetrics);
  app.use((req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    res.once('close', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.observe(routeClassOf(req.path), req.method, res.statusCode, seconds);
    });
    next();
  });
  app.use(
    helmet({
      contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], frameAncestors: ["'none'"] } },
      strictTransportSecurity: config.mode === 'production',
    }),
  );
  app.use(cookieParser());
  // The web console (static, public) at /app/ with its own per-response CSP; `/` leads there.
  app.use(consoleRedirects);
  app.use(WEB_UI_PREFIX, webUiHandler(findWebUiDist()));
  const parseBody = adminBodyParser(config.http.bodyLimit);
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (isRackProxyPath(req.originalUrl)) return next();
    parseBody(req, res, next);
  });
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      stopAtFirstError: false,
    }),
  );
  const openApi = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('rack-gateway')
      .setDescription(
        'Admin API of rack-gateway. The Convox rack API itself is proxied under /api/v1/rack-proxy.',
      )
      .setVersion('1')
      .setLicense('Apache-2.0', 'https://www.apache.org/licenses/LICENSE-2.0')
      // Relative: the document describes whichever gateway serves it.
      .addServer('/', 'This gateway')
      .addBearerAuth({
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'opaque',
        description: 'An API token or a CLI session token',
      })
      .addCookieAuth(
        SESSION_COOKIE,
        {
          type: 'apiKey',
          in: 'cookie',
          description: 'Browser session; state changes also need X-CSRF-Token',
        },
        SESSION_COOKIE,
      )
      .build(),
  );
  SwaggerModule.setup('api/docs', app, openApi);
  // SIGTERM drains (src/lifecycle): Nest's own hooks would destroy modules before the server stops listening.
  installGracefulShutdown(app, config);
  // The console's live-updates websocket shares `upgrade` with the rack proxy's websockets, by path.
  app.useWebSocketAdapter(new PathScopedWsAdapter(app, isRackProxyPath));
  await app.init();
  // Proxied calls meet their own route first, not after every admin route (src/proxy/http).
  routeRackProxyFirst(
    (app.getHttpAdapter().getInstance() as { router: { stack: RouterLayer[] } }).router.stack,
  );
  return app;
}
