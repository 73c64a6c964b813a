# syntax=docker/dockerfile:1
# Production image: the gateway alone (no mocks, no embedded PostgreSQL), on Node.js 24 LTS. Configure it
# with the variables in docs/DEPLOY.md (all of them: docs/CONFIGURATION.md); NODE_ENV=production refuses
# to start without real settings. Migrations run at boot.

FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY client/cli/package.json client/cli/package.json
COPY client/web/package.json client/web/package.json
# Installs the dev dependencies too (TypeScript; the `node` package, whose binary npm scripts run on).
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src src
COPY migrations migrations
COPY bench bench
# The web console, served at /app/ (its API types are committed; nothing is generated here).
COPY client/web client/web
# Then drops every dev dependency, the `node` package included: the runtime runs the image's own Node.js.
RUN npm run build && npm run build -w client/web \
  && npm prune --omit=dev --workspaces=false \
  && test ! -e node_modules/node && test ! -e node_modules/.bin/node

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8447
WORKDIR /app
RUN groupadd --system gateway && useradd --system --gid gateway --home-dir /app --shell /usr/sbin/nologin gateway
# Code stays owned by root: the gateway process can read it but not change it.
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/client/web/dist ./client/web/dist
USER gateway
EXPOSE 8447
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "require('http').get('http://127.0.0.1:'+(process.env.PORT||8447)+'/healthz',r=>process.exit(r.statusCode===200?0:1)).on('error',()=>process.exit(1))"
CMD ["node", "dist/src/main.js"]
